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


def full_clean_or_refuse(instance: Any, **kwargs: Any) -> None:
    """`instance.full_clean(**kwargs)`, with Django's validation errors turned into one ApplicationError."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid") from exc
