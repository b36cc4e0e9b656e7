"""A person's photo: cleaned on upload (no EXIF, a server name), served publicly at its own address only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from esep.core.errors import ApplicationError
from tests.appeals.test_photos import GPS_TAG, MAKE_TAG, jpeg_with_exif
from tests.elections.factories import make_person, person_photo_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_photo_is_reencoded_without_exif_and_served_at_its_url(client) -> None:
    person = make_person()
    person_photo_set(person, jpeg_with_exif("../../etc/passwd.jpg"))
    person.refresh_from_db()
    assert person.photo.name.startswith("persons/") and "passwd" not in person.photo.name
    answer = client.get(person.photo.url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    served = Image.open(io.BytesIO(b"".join(answer.streaming_content)))
    exif = served.getexif()
    assert MAKE_TAG not in exif and GPS_TAG not in exif


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept() -> None:
    person = make_person()
    with pytest.raises(ApplicationError):
        person_photo_set(
            person, SimpleUploadedFile("face.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
        )
    person.refresh_from_db()
    assert not person.photo


def test_only_files_a_person_points_to_are_served(client, settings) -> None:
    folder = settings.MEDIA_ROOT / "persons"
    folder.mkdir(parents=True)
    (folder / "stray.jpg").write_bytes(b"not anyone's photo")
    (settings.MEDIA_ROOT / "secret.txt").write_bytes(b"secret")
    assert client.get("/media/persons/stray.jpg").status_code == 404
    assert client.get("/media/persons/..%2Fsecret.txt").status_code == 404
    assert client.get("/media/secret.txt").status_code == 404
