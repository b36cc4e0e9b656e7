from types import SimpleNamespace

from django.utils import translation

from esep.core.languages import in_language

ROW = SimpleNamespace(
    name_kk="Ауыл", name_ru="Село", name_en="Village", note_kk="", note_ru="Заметка", note_en=""
)


def test_the_active_language_picks_the_field() -> None:
    for language, expected in [("kk", "Ауыл"), ("ru", "Село"), ("en", "Village"), ("de", "Село")]:
        with translation.override(language):
            assert in_language(ROW, "name") == expected


def test_an_empty_translation_falls_back_to_russian() -> None:
    with translation.override("kk"):
        assert in_language(ROW, "note") == "Заметка"
