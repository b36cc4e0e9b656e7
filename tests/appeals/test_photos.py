"""Photos: the type is read from the content, the size is bounded, metadata is stripped on save."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from esep.appeals import services
from esep.appeals.models import AppealPhoto
from esep.appeals.photos import MAX_PHOTO_BYTES, clean_photo
from esep.core.errors import ApplicationError

from .conftest import at

GPS_TAG = 0x8825
MAKE_TAG = 0x010F


def jpeg_with_exif(name: str = "photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE_TAG] = "SpyCam 3000"
    exif[GPS_TAG] = {1: "N", 2: (43.0, 15.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_fixture_really_carries_exif() -> None:
    upload = jpeg_with_exif()
    with Image.open(io.BytesIO(upload.read())) as image:
        assert image.getexif()[MAKE_TAG] == "SpyCam 3000"


def test_metadata_is_stripped_when_the_photo_is_saved(make_appeal) -> None:
    appeal = make_appeal(photos=[jpeg_with_exif()], now=at(date(2026, 2, 2)))
    photo = AppealPhoto.objects.get(appeal=appeal)
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()
        assert "exif" not in image.info
    assert photo.content_type == "image/jpeg" and photo.image.name.endswith(".jpg")


def test_a_text_file_named_like_a_photo_is_refused() -> None:
    lie = SimpleUploadedFile("holiday.jpg", b"#!/bin/sh\necho not a photo\n", content_type="image/jpeg")
    with pytest.raises(ApplicationError) as caught:
        clean_photo(lie)
    assert caught.value.code == "photo_type"


def test_a_png_named_jpg_is_kept_as_what_it_is() -> None:
    photo = clean_photo(png("camera.jpg"))
    assert photo.extension == "png" and photo.content_type == "image/png"


def test_a_gif_is_refused_even_though_it_is_an_image() -> None:
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ApplicationError) as caught:
        clean_photo(SimpleUploadedFile("a.gif", buffer.getvalue(), content_type="image/gif"))
    assert caught.value.code == "photo_type"


def test_a_photo_over_5_mb_is_refused() -> None:
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES, content_type="image/jpeg")
    with pytest.raises(ApplicationError) as caught:
        clean_photo(big)
    assert caught.value.code == "photo_too_large"


def test_at_most_three_photos_and_nothing_is_written_otherwise(make_appeal) -> None:
    with pytest.raises(ApplicationError) as caught:
        make_appeal(photos=[png(), png(), png(), png()])
    assert caught.value.code == "too_many_photos"
    assert not AppealPhoto.objects.exists()


def test_one_bad_photo_refuses_the_whole_request(make_appeal) -> None:
    with pytest.raises(ApplicationError):
        make_appeal(photos=[png(), SimpleUploadedFile("x.png", b"nope")])
    assert not AppealPhoto.objects.exists()


def test_the_resident_may_add_a_photo_later_up_to_three(make_appeal, resident, staff) -> None:
    appeal = make_appeal(photos=[png(), png()])
    services.appeal_add_photo(actor=resident, appeal=appeal, upload=png())
    with pytest.raises(ApplicationError):
        services.appeal_add_photo(actor=resident, appeal=appeal, upload=png())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appeal_add_photo(actor=staff, appeal=appeal, upload=png())
