"""Kazakh, Russian and English catalogues are complete, compiled, and cover every string in the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "esep" / "locale"
LANGUAGES = ["kk", "ru", "en"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = catalogue(language)
    assert len(po) > 50
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language: str) -> None:
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    stale = [key[1] for key, value in source.items() if compiled.get(key) != value]
    assert not stale, f"{language}: run `make messages`; stale in django.mo: {stale[:5]}"


def test_the_catalogues_cover_every_string_in_the_code(tmp_path: Path) -> None:
    if not shutil.which("xgettext"):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("GNU gettext (xgettext) is needed to check the catalogues (apt-get install gettext)")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "esep"
    shutil.copytree(ROOT / "esep", copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    env = {**os.environ, "ESEP_TESTING": "1", "DJANGO_SETTINGS_MODULE": "esep.settings"}
    subprocess.run(
        [sys.executable, "-m", "esep", "makemessages", "-l", "ru", "--no-location"],
        cwd=copy,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue("ru")}
    missing = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known)
    assert not missing, (
        f"run `make messages`: {len(missing)} strings are not in the catalogues: {missing[:5]}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("kk", "Қазақстанның ауыл әкімдері"),
        ("ru", "Сельские акимы Казахстана"),
        ("en", "Rural akims of Kazakhstan"),
    ],
)
def test_the_home_page_speaks_each_language(client, language: str, title: str) -> None:
    response = client.get(reverse("territory:country"), HTTP_ACCEPT_LANGUAGE=language)
    assert f"<h1>{title}</h1>" in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()
