"""Photo uploads of residents' requests: the checks live in `esep.core.uploads` (shared with reports)."""

from esep.core.uploads import ACCEPTED_FORMATS, MAX_PHOTO_BYTES, MAX_PIXELS, CleanPhoto, clean_photo

__all__ = ["ACCEPTED_FORMATS", "MAX_PHOTO_BYTES", "MAX_PIXELS", "CleanPhoto", "clean_photo"]
