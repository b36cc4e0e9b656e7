"""Test settings: the production module with only the safety switches changed."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("ESEP_TESTING", "1")

from esep.settings import *  # noqa: E402, F403

# Fast hashing: tests create many users; the algorithm choice is a production concern, not a test subject.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# WhiteNoise warns on every request when the collected-static folder is absent; tests use the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Uploads of a test run go to a folder of its own, never into the var/media of `make run` (whose files the
# test database does not know: the tick's orphan sweep must not see them).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="esep-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
