"""Esep settings: one module, driven by ESEP_* environment variables with safe local defaults.

Secrets may come from files: ESEP_SECRET_KEY_FILE, ESEP_IIN_PEPPER_FILE, ESEP_DATABASE_URL_FILE.
"""

import importlib.util
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from esep.core.dburl import parse_database_url, sqlite_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ESEP_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """Read ESEP_<name>, or the contents of the file named by ESEP_<name>_FILE."""
    file_name = os.environ.get(f"ESEP_{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(f"ESEP_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)
HTTPS = env_bool("HTTPS", False)


def env_or_var_file(name: str, file_name: str) -> str | None:
    """ESEP_<name> (or its _FILE), else the file `make run` generated in the var folder, if there is one:
    so `.venv/bin/esep ...` works on the local database without exporting anything. Never in tests: their
    keys stay the fixed development ones whatever a local `make run` left behind."""
    value = env(name)
    if not value and not TESTING and (VAR_DIR / file_name).is_file():
        value = (VAR_DIR / file_name).read_text(encoding="utf-8").strip()
    return value


SECRET_KEY = env_or_var_file("SECRET_KEY", "secret_key")
IIN_PEPPER = env_or_var_file("IIN_PEPPER", "iin_pepper")
if not SECRET_KEY or not IIN_PEPPER:
    if DEBUG or TESTING:
        SECRET_KEY = SECRET_KEY or "esep-local-development-key-not-for-production-use-0123456789"
        IIN_PEPPER = IIN_PEPPER or "esep-local-development-pepper"
    else:
        raise ImproperlyConfigured(
            "Set ESEP_SECRET_KEY and ESEP_IIN_PEPPER (or their *_FILE variants); `make run` makes them in "
            f"{VAR_DIR}."
        )
ESEP_IIN_PEPPER = IIN_PEPPER

ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "esep.core",
    "esep.core.audit",
    "esep.territory",
    "esep.accounts",
    "esep.elections",
    "esep.programs",
    "esep.powers",
    "esep.reports",
    "esep.appeals",
    "esep.registries",
    "esep.recall",
    "esep.training",
    "esep.dashboard",
    "esep.api",
    "esep.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "esep.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "esep.urls"
WSGI_APPLICATION = "esep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "esep" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "esep.core.context_processors.esep",
            ],
        },
    },
]

database_url = env("DATABASE_URL")
if database_url:
    DATABASES = {"default": parse_database_url(database_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_config(VAR_DIR / "esep.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "territory:country"

# Russian is the default when the browser asks for none of the three.
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "esep" / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["esep.formats"]  # Kazakh dates and numbers (Django ships none for kk)
TIME_ZONE = "Asia/Almaty"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "esep_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet's files come from the django-leaflet package; its app needs GDAL, so only its static folder is used.
_leaflet_spec = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [
    BASE_DIR / "esep" / "static",
    ("boundaries", BASE_DIR / "data" / "boundaries"),
    ("leaflet", Path(_leaflet_spec.submodule_search_locations[0]) / "static" / "leaflet"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# API lists: 50 rows a page (ninja's PageNumberPagination reads this).
NINJA_PAGINATION_PER_PAGE = 50

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security switches: ESEP_HTTPS=true behind TLS turns on the cookie, redirect and HSTS settings.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Rate limits and login lockout (off only in tests that measure something else).
ESEP_RATE_LIMITS = env_bool("RATE_LIMITS", True)
ESEP_TRUSTED_PROXIES = int(env("TRUSTED_PROXIES") or 0)
# Officials (every role but resident) confirm their login with a TOTP code.
ESEP_OFFICIAL_2FA = env_bool("OFFICIAL_2FA", True)
# Everything is served from this origin: no CDN, no inline script, so the policy can be strict.
ESEP_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# `esep demo` and `esep tick` run these steps in order; each app adds its own (apps depend downward only).
ESEP_DEMO_STEPS = [
    "esep.demo.accounts.run",
    "esep.elections.demo.run",
    "esep.programs.demo.run_reference_data",
    "esep.programs.demo.run_programs",
    "esep.reports.demo.run",
    "esep.training.demo.run",
    "esep.appeals.demo.run",
    "esep.powers.demo.run",
    "esep.registries.demo.run",
    "esep.recall.demo.run",
    "esep.programs.demo.run_summaries",  # the recall demo ends mandates: summaries then catch up
    "esep.reports.demo.run_summaries",
    "esep.core.statistics.demo_step",
]
ESEP_TICK_STEPS: list[str] = [
    "esep.core.ratelimit.prune",
    "esep.core.statistics.tick_step",
    "esep.core.media.media_sweep",
    "esep.training.tick.run",
    "esep.appeals.tick.run",
    "esep.programs.tick.run",
    "esep.reports.tick.run",
    "esep.recall.tick.run",
]
# Sections that upper apps add to the territory pages: callables (request, territory) -> HTML or "".
ESEP_TERRITORY_SECTIONS: list[str] = [
    "esep.accounts.sections.register_invite",
    "esep.elections.sections.territory_section",
    "esep.programs.sections.territory_section",
    "esep.reports.sections.territory_section",
    "esep.training.sections.territory_section",
    "esep.appeals.sections.territory_section",
    "esep.recall.sections.territory_section",
    "esep.dashboard.sections.territory_section",
]

ESEP_DEMO_PASSWORD = env("DEMO_PASSWORD") or "esep-demo-2026"
# State-database gateway (esep.registries): the built-in demo register unless an adapter and URL are set.
ESEP_REGISTRY_ADAPTER = env("REGISTRY_ADAPTER") or "esep.registries.adapters.DemoRegistryAdapter"
ESEP_REGISTRY_URL = env("REGISTRY_URL") or ""
ESEP_REGISTRY_TOKEN = env("REGISTRY_TOKEN") or ""
