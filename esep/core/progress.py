"""A text progress bar for long management commands (stderr, so stdout stays machine-readable)."""

import sys
from typing import TextIO


class ProgressBar:
    def __init__(
        self, total: int = 1, *, label: str = "", stream: TextIO | None = None, width: int = 30
    ) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self._last_shown = -1
        # Redrawing in place needs a terminal; a log file gets a line every tenth.
        self.step = 1 if self.stream.isatty() else 10

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        shown = self.done * 100 // self.total // self.step
        if shown != self._last_shown:
            self._last_shown = shown
            filled = self.width * self.done // self.total
            bar = "#" * filled + "." * (self.width - filled)
            start, end = ("\r", "") if self.step == 1 else ("", "\n")
            self.stream.write(f"{start}{self.label} [{bar}] {self.done}/{self.total}{end}")
            if self.done == self.total and self.step == 1:
                self.stream.write("\n")
            self.stream.flush()

    def update(self, done: int, total: int) -> None:
        """Callback form for services that report (done, total)."""
        self.total = max(total, 1)
        self.advance(done - self.done)
