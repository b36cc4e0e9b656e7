"""Test settings: the production module with only the safety switches changed."""

import os

os.environ.setdefault("ESEP_TESTING", "1")

from esep.settings import *  # noqa: E402, F403

# Fast hashing: tests create many users; the algorithm choice is a production concern, not a test subject.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# WhiteNoise warns on every request when the collected-static folder is absent; tests use the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
