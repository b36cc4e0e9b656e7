"""One exception for broken business rules, raised by services and turned into 400s at the edge."""

from typing import Any


class ApplicationError(Exception):
    """A business rule said no. `message` is already translated (gettext) for the user."""

    def __init__(self, message: Any, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


def validation_message(exc: Any, *models: Any) -> str:
    """Django's validation errors as one message in the active language: "Label: problem." for each field,
    the label being the field's verbose name in the first of `models` that has the field; a problem of no
    field (or of a field none of `models` has) stands alone. Never a raw attribute name: users read this."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, messages in exc.message_dict.items():
        text = " ".join(messages)
        label = _field_label(name, models)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _field_label(name: str, models: tuple[Any, ...]) -> str:
    from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
    from django.utils.text import capfirst

    if name == NON_FIELD_ERRORS:
        return ""
    for model in models:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        verbose_name = getattr(field, "verbose_name", None)
        if verbose_name:
            return str(capfirst(verbose_name))
    return ""


def full_clean_or_refuse(instance: Any, **kwargs: Any) -> None:
    """`instance.full_clean(**kwargs)`, with Django's validation errors turned into one ApplicationError whose
    message names each field by its label (`validation_message`) and whose `extra["fields"]` keeps them by
    field name."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        raise ApplicationError(
            validation_message(exc, type(instance)), code="invalid", extra={"fields": fields}
        ) from exc
