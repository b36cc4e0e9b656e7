"""Looks through every text column of every table for a valid IIN written in clear (there must be none)."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from esep.core.iin import InvalidIIN, parse_iin

# Twelve digits standing alone: an IIN inside a longer number is not an IIN, nor twelve digits inside a hex
# digest or a token (a password hash, an audit link, a session key: about 1 in 20,000 SHA-256 digests holds
# a run that passes the IIN checks, which made the scan fail at random).
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z_])[0-9]{12}(?![0-9A-Za-z_])")
_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@dataclass(frozen=True)
class ClearIIN:
    table: str
    column: str
    pk: object

    def __str__(self) -> str:
        return f"{self.table}.{self.column} (row {self.pk})"


def valid_iins_in(text: str) -> list[str]:
    found = []
    for candidate in _CANDIDATE.findall(text):
        try:
            parse_iin(candidate)
        except InvalidIIN:
            continue
        found.append(candidate)
    return found


def _text_columns(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, _TEXT_FIELDS) and not field.primary_key
    ]


def scan_database(batch: int = 5000) -> Iterator[ClearIIN]:
    """Every row whose text holds a valid IIN; rows are read in primary-key batches to bound memory."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = _text_columns(model)
        if not columns:
            continue
        manager = model._base_manager
        rows = manager.order_by("pk").values_list("pk", *columns)
        for row in rows.iterator(chunk_size=batch):
            pk, values = row[0], row[1:]
            for column, value in zip(columns, values, strict=True):
                if value is not None and valid_iins_in(value if isinstance(value, str) else repr(value)):
                    yield ClearIIN(model._meta.db_table, column, pk)


def scan_lines(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if valid_iins_in(line)]
