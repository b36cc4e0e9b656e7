"""The orphan sweep removes only old files that no record names, once a day."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from esep.core.media import media_sweep, orphans
from tests.appeals.test_photos import png
from tests.elections.factories import make_person, person_photo_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _aged(path, days: float) -> None:
    then = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (then, then))


def test_an_old_file_nobody_names_is_removed_and_a_named_one_or_a_new_one_kept(media) -> None:
    person = make_person()
    person_photo_set(person, png())
    person.refresh_from_db()
    named = media / person.photo.name
    orphan = media / "appeals" / "2026" / "left-by-a-rollback.jpg"
    fresh = media / "reports" / "upload-in-a-transaction-still-open.jpg"
    for path in (orphan, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (named, orphan):
        _aged(path, 3)
    _aged(fresh, 0.5)

    assert orphans(now=timezone.now()) == [orphan]
    assert media_sweep() == "orphan files: 1 removed"
    assert not orphan.exists() and named.exists() and fresh.exists()


def test_the_sweep_runs_once_a_day(media) -> None:
    assert media_sweep() == "orphan files: 0 removed"
    assert media_sweep() == "orphan files: swept within the last day"
