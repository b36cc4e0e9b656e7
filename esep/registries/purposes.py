"""Purposes of a look-up: each names one register, what identifies the subject, and the fields returned."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esep.registries.models import Register

IIN = "iin"
CADASTRAL = "cadastral"


@dataclass(frozen=True)
class Purpose:
    code: str
    register: str
    subject: str  # IIN or CADASTRAL
    fields: tuple[str, ...]
    label: Promise


PURPOSES: dict[str, Purpose] = {
    purpose.code: purpose
    for purpose in [
        Purpose(
            "residence",
            Register.POPULATION,
            IIN,
            ("unit", "household_size"),
            _("Confirm residence in the unit and the size of the household"),
        ),
        Purpose(
            "land_plots_of_person",
            Register.LAND,
            IIN,
            ("cadastral_number", "area_ha", "land_use", "right"),
            _("Land plots a resident holds in the unit"),
        ),
        Purpose(
            "land_plot",
            Register.LAND,
            CADASTRAL,
            ("cadastral_number", "area_ha", "land_use", "right"),
            _("One land plot of the unit, by cadastral number"),
        ),
        Purpose(
            "housing",
            Register.REAL_ESTATE,
            IIN,
            ("kind", "area_m2"),
            _("Housing a resident owns in the unit"),
        ),
        Purpose(
            "social_status",
            Register.SOCIAL,
            IIN,
            ("status", "since"),
            _("Whether a resident receives social assistance, and since when"),
        ),
    ]
}

# The fields each register may ever return, with their labels for the pages.
FIELD_LABELS = {
    "unit": _("unit of residence (KATO)"),
    "household_size": _("household size"),
    "cadastral_number": _("cadastral number"),
    "area_ha": _("area, ha"),
    "land_use": _("land use"),
    "right": _("right"),
    "kind": _("kind"),
    "area_m2": _("area, m²"),
    "status": _("status"),
    "since": _("since"),
}


def purposes_for(register: str) -> list[Purpose]:
    return [purpose for purpose in PURPOSES.values() if purpose.register == register]
