"""Model validation errors reach users as one message in their language, fields named by their labels."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from esep.core.errors import ApplicationError, full_clean_or_refuse, validation_message
from esep.elections.models import Party
from esep.training.models import Course


def test_fields_are_named_by_their_labels_in_the_language_of_the_page() -> None:
    exc = ValidationError({"title_kk": ["This field cannot be blank."], "__all__": ["Dates overlap."]})
    with translation.override("en"):
        assert (
            validation_message(exc, Course) == "Title in Kazakh: This field cannot be blank. Dates overlap."
        )
    with translation.override("ru"):
        message = validation_message(exc, Course)
    assert message.startswith("Название на казахском") and "title_kk" not in message


def test_a_field_no_model_has_is_not_named_by_its_attribute() -> None:
    exc = ValidationError({"mystery_field": ["Wrong."]})
    assert validation_message(exc, Course) == "Wrong."
    assert validation_message(ValidationError(["One.", "Two."])) == "One. Two."


@pytest.mark.django_db
def test_full_clean_or_refuse_keeps_the_fields_for_the_api() -> None:
    party = Party(code="", name_kk="", name_ru="Партия")
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        full_clean_or_refuse(party)
    assert refused.value.code == "invalid"
    assert "code" in refused.value.extra["fields"]
    assert "code:" not in str(refused.value.message)  # the label, not the attribute name
