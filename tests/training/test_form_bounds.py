"""Regressions found by tests/security/test_bad_input_forms.py: a module id beyond any database integer was a
500 (SQLite cannot bind it in an IN list), and instruction texts and the akim post's note had no length
bound."""

from django.urls import reverse

from esep.core.models import Role
from esep.training.forms import MAX_TEXT, AkimPostForm, InstructionForm
from esep.training.models import Course


def test_a_module_id_beyond_any_database_integer_is_an_invalid_choice_not_a_server_error(
    client, catalogue, make_user
) -> None:
    client.force_login(make_user(Role.ANALYST, None))
    response = client.post(
        reverse("training:course_create"),
        {
            "code": "regional",
            "provider": catalogue.provider.pk,
            "title_kk": "Өңірлік",
            "title_ru": "Региональное",
            "title_en": "Regional",
            "modules": [catalogue.modules["leadership"].pk, "9" * 30],
            "hours": 40,
            "pass_score": 70,
        },
    )
    assert response.status_code == 400
    assert "modules" in response.context["form"].errors
    assert not Course.objects.filter(code="regional").exists()


def test_instruction_texts_and_the_akim_post_note_refuse_an_oversized_text() -> None:
    instruction = InstructionForm({"text_ru": "я" * (MAX_TEXT + 1), "text_kk": "a" * (MAX_TEXT + 1)})
    assert not instruction.is_valid()
    assert {"text_ru", "text_kk"} <= set(instruction.errors)
    note = AkimPostForm({"note": "x" * 100_000})
    assert not note.is_valid() and "note" in note.errors
