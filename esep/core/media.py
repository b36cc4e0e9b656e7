"""Uploaded files that no record points to, removed once a day by `esep tick`.

A service saves an upload (a resident's photo, a report's evidence) inside its transaction; when the
transaction is then rolled back (a later check refuses the request), the row is gone but the file stays.
The sweep removes files under MEDIA_ROOT that no file field of any model names and that are older than a
day, so an upload whose transaction is still open is never touched. Core reads the models through the app
registry, so it imports no upper app.
"""

import os
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from esep.core.leases import lease_acquire

GRACE = timedelta(days=1)
ONCE_A_DAY = 24 * 60 * 60


def referenced_names() -> set[str]:
    """Every name stored in a file field of any model (relative to MEDIA_ROOT)."""
    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.attname: ""}).values_list(
                    field.attname, flat=True
                )
                names.update(value for value in values.iterator(chunk_size=5000) if value)
    return names


def orphans(*, now: datetime, root: Path | None = None) -> list[Path]:
    """Files under the media folder that no record names, last changed before `now - GRACE`."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    named = referenced_names()
    limit = (now - GRACE).timestamp()
    found = []
    for folder, _folders, files in os.walk(root):
        for file_name in files:
            path = Path(folder) / file_name
            if path.relative_to(root).as_posix() not in named and path.stat().st_mtime < limit:
                found.append(path)
    return sorted(found)


def media_sweep(*, now: datetime | None = None) -> str:
    """Tick step: once a day, remove the orphan files (see the module's docstring)."""
    if lease_acquire("media_sweep", seconds=ONCE_A_DAY) is None:
        return "orphan files: swept within the last day"
    found = orphans(now=now or timezone.now())
    for path in found:
        path.unlink(missing_ok=True)
    return f"orphan files: {len(found)} removed"
