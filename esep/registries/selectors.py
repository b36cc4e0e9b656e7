from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from esep.appeals.models import Appeal
from esep.appeals.selectors import appeal_get
from esep.registries.models import Lookup
from esep.territory.models import Territory


def fingerprint_of(user: AbstractBaseUser) -> str:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return (profile.iin_fingerprint or "") if profile is not None else ""


def lookups_of_person(fingerprint: str) -> QuerySet[Lookup]:
    return Lookup.private_objects.filter(subject_fingerprint=fingerprint).order_by("-at", "-pk")


def appeal_cited(number: str) -> Appeal | None:
    """The request a look-up cites, or None when none is cited or no request has that number."""
    number = number.strip()
    if not number:
        return None
    try:
        return appeal_get(number)
    except Http404:
        return None


def lookups_for_appeal(appeal: Appeal) -> list[Lookup]:
    return list(Lookup.private_objects.filter(appeal=appeal).order_by("-at", "-pk")[:100])


def unit_names(katos: list[str]) -> dict[str, str]:
    return {t.kato: t.name for t in Territory.objects.filter(kato__in=set(katos))}


def my_request_numbers(user: AbstractBaseUser, numbers: list[str]) -> set[str]:
    """Which of `numbers` are the user's own requests (linked on their page)."""
    wanted = [number for number in numbers if number]
    if not wanted:
        return set()
    return set(
        Appeal.private_objects.filter(resident=user, number__in=wanted).values_list("number", flat=True)
    )
