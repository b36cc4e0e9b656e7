"""Uploaded files checked by their content, never by their name: photos and PDF documents.

Photos: the type is read by Pillow, size and pixel count are bounded, and the image is re-encoded, which drops
EXIF (GPS position, camera serial) and any other metadata. PDFs: the `%PDF-` signature, an end-of-file marker,
a size bound, and no document that asks a reader to run a script or launch a program. Nothing is executed or
rendered on the server. Used by the appeals (residents' photos) and reports (evidence) apps.
"""

import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from esep.core.errors import ApplicationError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PDF_BYTES = 10 * 1024 * 1024
# Names of PDF actions that make a reader run code or open something else; such a file is refused. Stream
# bodies are skipped: compressed bytes would match short names by chance.
PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)(?![A-Za-z0-9])")
PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    extension: str
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class CleanDocument:
    content: ContentFile
    extension: str
    content_type: str
    size: int


def _read_bounded(upload: object, limit: int, too_large: ApplicationError) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return raw


def clean_photo(upload: object) -> CleanPhoto:
    """Check one upload and return it re-encoded without metadata; ApplicationError says what is wrong."""
    name = getattr(upload, "name", "") or _("the photo")
    too_large = ApplicationError(_("%(name)s is larger than 5 MB.") % {"name": name}, code="photo_too_large")
    raw = _read_bounded(upload, MAX_PHOTO_BYTES, too_large)
    not_a_photo = ApplicationError(
        _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, code="photo_type"
    )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    if image_format not in ACCEPTED_FORMATS:
        raise not_a_photo
    if width * height > MAX_PIXELS:
        raise ApplicationError(_("%(name)s has too many pixels.") % {"name": name}, code="photo_too_large")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            output = io.BytesIO()
            if image_format == "JPEG":
                upright.convert("RGB").save(output, format="JPEG", quality=85, optimize=True)
            elif image_format == "PNG":
                upright.save(output, format="PNG", optimize=True)
            else:
                upright.save(output, format="WEBP", quality=85)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    extension, content_type = ACCEPTED_FORMATS[image_format]
    return CleanPhoto(
        content=ContentFile(output.getvalue()),
        extension=extension,
        content_type=content_type,
        width=upright.width,
        height=upright.height,
    )


def clean_pdf(upload: object) -> CleanDocument:
    """Check one PDF upload: its signature, its end marker, its size, and no active content."""
    name = getattr(upload, "name", "") or _("the document")
    too_large = ApplicationError(
        _("%(name)s is larger than 10 MB.") % {"name": name}, code="document_too_large"
    )
    raw = _read_bounded(upload, MAX_PDF_BYTES, too_large)
    if not raw.startswith(b"%PDF-") or b"%%EOF" not in raw[-2048:]:
        raise ApplicationError(
            _("%(name)s is not a complete PDF document.") % {"name": name}, code="document_type"
        )
    if PDF_ACTIVE_CONTENT.search(PDF_STREAM.sub(b"", raw)):
        raise ApplicationError(
            _("%(name)s contains scripts, attachments or actions: save it as a plain PDF.") % {"name": name},
            code="document_active",
        )
    return CleanDocument(
        content=ContentFile(raw), extension="pdf", content_type="application/pdf", size=len(raw)
    )
