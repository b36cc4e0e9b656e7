"""Photo uploads: the type is read from the content (Pillow), never from the name; size and pixel count are
bounded; the image is re-encoded, which drops EXIF (GPS position, camera serial) and any other metadata."""

import io
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


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    extension: str
    content_type: str
    width: int
    height: int


def clean_photo(upload: object) -> CleanPhoto:
    """Check one upload and return it re-encoded without metadata; ApplicationError says what is wrong."""
    name = getattr(upload, "name", "") or _("the photo")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ApplicationError(_("%(name)s is larger than 5 MB.") % {"name": name}, code="photo_too_large")
    raw = upload.read(MAX_PHOTO_BYTES + 1)
    if len(raw) > MAX_PHOTO_BYTES:
        raise ApplicationError(_("%(name)s is larger than 5 MB.") % {"name": name}, code="photo_too_large")
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
