"""KATO code arithmetic. A code is AB CD EF GHI: region, district, sub-district unit, settlement."""

from django.db.models import Q


def kato_prefix(kato: str) -> str:
    """The leading digits every territory below `kato` shares (trailing zero groups mark the level)."""
    if kato[2:] == "0000000":
        return kato[:2]
    if kato[4:] == "00000":
        return kato[:4]
    if kato[6:] == "000":
        return kato[:6]
    return kato


def region_code(kato: str) -> str:
    return kato[:2] + "0000000"


def district_code(kato: str) -> str:
    return kato[:4] + "00000"


def kato_bounds(prefix: str) -> tuple[str, str | None]:
    """The codes starting with `prefix` as a half-open range [low, high) (high None: no upper bound).

    KATO codes are digits of one length, so "starts with 1041" is "from 1041 up to, not including, 1042" in
    any collation. A range uses the index on the code in SQLite too, where `LIKE '1041%'` cannot (SQLite's
    LIKE is case-insensitive, so its planner will not turn it into an index range)."""
    following = str(int(prefix) + 1).zfill(len(prefix))
    return prefix, following if len(following) == len(prefix) else None


def kato_within(field: str, prefix: str | None) -> Q:
    """A filter on `field` (a KATO code, possibly across a relation) for the codes below `prefix`."""
    if not prefix:
        return Q()
    if not (prefix.isascii() and prefix.isdigit()):
        return Q(**{f"{field}__startswith": prefix})
    low, high = kato_bounds(prefix)
    condition = Q(**{f"{field}__gte": low})
    return condition & Q(**{f"{field}__lt": high}) if high is not None else condition
