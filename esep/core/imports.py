"""Shared shape of all-or-nothing file imports: every error names its file, line and field."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, field %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field or "-",
            "message": self.message,
        }


class ImportFailed(ApplicationError):
    """Raised before anything is written; `errors` lists every problem found, in file order."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        self.source = source
        self.errors = errors
        shown = "\n".join(f"{source}: {error}" for error in errors[:50])
        more = len(errors) - 50
        if more > 0:
            shown += "\n" + _("... and %(count)d more errors") % {"count": more}
        super().__init__(shown, code="import_failed", extra={"errors": [e.__dict__ for e in errors]})


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_csv_rows(
    path: Path | str, *, required: list[str], source: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a UTF-8 CSV with a header; bad encoding or header: ImportFailed."""
    source = source or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailed(source, [RowError(0, "", _("cannot read the file: %s") % exc.strerror)]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(source, [RowError(line, "", _("the file is not UTF-8 text"))]) from exc
    if "\x00" in text:
        raise ImportFailed(source, [RowError(1, "", _("the file contains NUL bytes: it is not a CSV file"))])
    reader = csv.DictReader(io.StringIO(text, newline=""), restval="")  # missing cells of a short row: ""
    header = reader.fieldnames or []
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFailed(
            source, [RowError(1, name, _("the header has no column %s") % name) for name in missing]
        )
    for row in reader:
        if None in row:
            raise ImportFailed(
                source, [RowError(reader.line_num, "", _("the row has more fields than the header"))]
            )
        yield reader.line_num, row
