"""The admin's section titles are the apps' names: they follow the administrator's language."""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from esep.core.admin_site import site


def test_every_esep_app_with_admin_pages_names_itself_through_gettext() -> None:
    labels = {model._meta.app_label for model in site._registry}
    untranslated = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("esep.")
        and config.label in labels
        and not isinstance(config.verbose_name, Promise)
    ]
    assert not untranslated


def test_the_elections_section_is_named_in_russian() -> None:
    with translation.override("ru"):
        assert str(apps.get_app_config("elections").verbose_name) == "Выборы"
