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
