"""KATO code arithmetic. A code is AB CD EF GHI: region, district, sub-district unit, settlement."""


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
