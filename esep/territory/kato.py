"""Reading the KATO classifier CSV: validation of every row, the kind of each unit, and its parent."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from esep.core.imports import ImportFailed, RowError, read_csv_rows
from esep.territory.models import ELECTED_KINDS, Kind, Level
from esep.territory.translit import romanize

COLUMNS = ["kato", "kato_version", "level", "type_code", "name_ru", "name_kk"]
_LEVELS = {
    "oblast": Level.REGION,
    "district": Level.DISTRICT,
    "sub_district": Level.UNIT,
    "settlement": Level.SETTLEMENT,
}
# The three cities of republican significance carry these region codes.
_REPUBLICAN_CITIES = {"710000000", "750000000", "790000000"}
_KK_SUFFIXES = re.compile(
    r"\s*(облысы|ауданы|а\.\s*о\.?|а\.\s*ә\.?|к\.\s*ә\.?|қ\.\s*ә\.?|қ\.|а\.|к\.|атын\.|ат\.)\s*$",
    re.IGNORECASE,
)
_EN_KIND = {
    Kind.REGION: "Region",
    Kind.CITY_OF_REPUBLICAN_SIGNIFICANCE: "City",
    Kind.DISTRICT: "District",
    Kind.CITY_ADMINISTRATION_DISTRICT: "City Administration",
    Kind.RURAL_OKRUG: "Rural Okrug",
    Kind.VILLAGE_ADMINISTRATION: "Village Administration",
    Kind.SETTLEMENT_ADMINISTRATION: "Settlement Administration",
    Kind.CITY_ADMINISTRATION: "Town Administration",
    Kind.CITY: "City",
    Kind.CITY_DISTRICT: "District",
}


@dataclass(frozen=True)
class KatoRow:
    line: int
    kato: str
    kato_version: str
    level: str
    kind: str
    type_code: int
    name_ru: str
    name_kk: str
    name_en: str
    parent_kato: str | None

    @property
    def has_elected_akim(self) -> bool:
        return self.kind in ELECTED_KINDS


def _clean(value: str | None) -> str:
    return " ".join((value or "").replace("\xa0", " ").split())


def sub_district_kind(name_ru: str, name_kk: str) -> str:
    """The kind of a sub-district unit, read from the abbreviations that end its names."""
    ru, kk = name_ru.lower(), name_kk.lower()
    if re.search(r"а\.\s*о\.?$", kk) or re.search(r"(^|[\s.])с\.о\.?", ru):
        return Kind.RURAL_OKRUG
    if re.search(r"а\.\s*ә\.?$", kk) or re.search(r"(^|\s)с\.а\.", ru):
        return Kind.VILLAGE_ADMINISTRATION
    if re.search(r"к\.\s*ә\.?$", kk) or re.search(r"п\.а\.?$", ru):
        return Kind.SETTLEMENT_ADMINISTRATION
    if re.search(r"қ\.\s*ә\.?$", kk) or re.search(r"г\.а\.?$", ru):
        return Kind.CITY_ADMINISTRATION
    if kk.endswith("ауданы") or ru.endswith("район"):
        return Kind.CITY_DISTRICT
    return Kind.CITY


def _kind(level: str, kato: str, name_ru: str, name_kk: str) -> str:
    if level == Level.REGION:
        return Kind.CITY_OF_REPUBLICAN_SIGNIFICANCE if kato in _REPUBLICAN_CITIES else Kind.REGION
    if level == Level.DISTRICT:
        lower = name_ru.lower()
        return Kind.CITY_ADMINISTRATION_DISTRICT if lower.endswith("г.а.") else Kind.DISTRICT
    if level == Level.UNIT:
        return sub_district_kind(name_ru, name_kk)
    return Kind.SETTLEMENT


def english_name(name_kk: str, kind: str) -> str:
    base = romanize(_KK_SUFFIXES.sub("", name_kk)).strip(" .")
    suffix = _EN_KIND.get(kind)
    return f"{base} {suffix}" if suffix else base


def _candidate_parents(kato: str, level: str) -> list[str]:
    region, district, unit = kato[:2] + "0000000", kato[:4] + "00000", kato[:6] + "000"
    if level == Level.REGION:
        return []
    if level == Level.DISTRICT:
        return [region]
    if level == Level.UNIT:
        return [district, region]
    return [unit, district, region]


def parse_kato_csv(path: Path | str, *, source: str | None = None) -> list[KatoRow]:
    """Read and validate the whole file; raise ImportFailed listing every bad line and field."""
    source = source or Path(path).name
    errors: list[RowError] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for line, row in read_csv_rows(path, required=COLUMNS, source=source):
        values = {name: _clean(row.get(name)) for name in COLUMNS}
        row_errors = []
        kato = values["kato"]
        if not re.fullmatch(r"[0-9]{9}", kato):
            row_errors.append(RowError(line, "kato", _("must be 9 digits, got %r") % kato))
        elif kato in seen:
            row_errors.append(
                RowError(
                    line,
                    "kato",
                    _("code %(kato)s repeats line %(line)d") % {"kato": kato, "line": seen[kato]},
                )
            )
        if values["level"] not in _LEVELS:
            row_errors.append(
                RowError(line, "level", _("must be one of %(levels)s") % {"levels": ", ".join(_LEVELS)})
            )
        if not re.fullmatch(r"[0-4]", values["type_code"]):
            row_errors.append(RowError(line, "type_code", _("must be a digit from 0 to 4")))
        for name in ("kato_version", "name_ru", "name_kk"):
            if not values[name]:
                row_errors.append(RowError(line, name, _("must not be empty")))
            elif len(values[name]) > 200:
                row_errors.append(RowError(line, name, _("is longer than 200 characters")))
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[kato] = line
        parsed.append((line, values))
    if not parsed and not errors:
        errors.append(RowError(1, "", _("the file has no rows")))

    rows: list[KatoRow] = []
    for line, values in parsed:
        level = _LEVELS[values["level"]]
        kato = values["kato"]
        parent = next(
            (code for code in _candidate_parents(kato, level) if code in seen and code != kato), None
        )
        if level != Level.REGION and parent is None:
            errors.append(RowError(line, "kato", _("no parent region in the file for code %s") % kato))
            continue
        kind = _kind(level, kato, values["name_ru"], values["name_kk"])
        rows.append(
            KatoRow(
                line=line,
                kato=kato,
                kato_version=values["kato_version"],
                level=level,
                kind=kind,
                type_code=int(values["type_code"]),
                name_ru=values["name_ru"],
                name_kk=values["name_kk"],
                name_en=english_name(values["name_kk"], kind),
                parent_kato=parent,
            )
        )
    if errors:
        raise ImportFailed(source, sorted(errors, key=lambda e: e.line))
    return rows
