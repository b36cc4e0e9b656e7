"""The `esep` console command: Django's manage.py under the project's name.

Messages come in the language of ESEP_LANGUAGE, else of the locale (LC_ALL, LC_MESSAGES, LANG) when it is
Kazakh, Russian or English, else Russian (the site's default)."""

import os
import sys

CLI_LANGUAGES = ("kk", "ru", "en")


def cli_language(environ: dict[str, str] | None = None) -> str | None:
    """The language the person at the terminal reads, or None for the site's default."""
    environ = os.environ if environ is None else environ
    for name in ("ESEP_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").strip()
        if value:
            code = value[:2].lower()
            return code if code in CLI_LANGUAGES else None
    return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esep.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # missing secrets, a bad database URL: one line, not a traceback
        sys.stderr.write(f"esep: {exc}\n")
        sys.exit(2)
    language = cli_language()
    if language:
        translation.activate(language)
    argv = list(sys.argv)
    argv[0] = "esep"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
