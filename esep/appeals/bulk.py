"""Plain multi-row INSERTs for bulk loads (the demo, counter rebuilds): no model instances, values adapted per
column type by the database backend, so a few hundred thousand rows take seconds, not minutes."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models

CHUNK = 5000


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    operations = connection.ops
    if kind == "DateTimeField":
        return operations.adapt_datetimefield_value
    if kind == "DateField":
        return operations.adapt_datefield_value
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places
        return lambda value: operations.adapt_decimalfield_value(value, digits, places)
    return None


def insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """INSERT `rows` (tuples in the order of `columns`, by attname) into `model`'s table; return the count.

    The caller keeps the model's rules (this is for generated data whose invariants hold by construction).
    """
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    # Names come from the model and are quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                tuple(
                    adapt(value) if adapt is not None and value is not None else value
                    for adapt, value in zip(adapters, row, strict=True)
                )
            )
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
