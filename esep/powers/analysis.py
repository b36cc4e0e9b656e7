"""The powers analysis: duplicated, non-core and missing powers, each finding with its evidence.

Reads the catalogue, the analysts' verdicts, the owners of sectors, the request categories and the summary
counters of requests (`appeals.AppealStat`, never the requests themselves): a fixed number of queries
whatever the size of the data. The same function feeds `esep powers analyze`, the analysis page and the API.

- duplicated: pairs of powers at different levels whose texts say the same thing, by TF-IDF cosine similarity
  over character n-grams (similarity.py), in Russian and in Kazakh separately; the score is the mean of the
  two, so both wordings must agree. Pairs at or above the threshold, ranked by score, with the verdicts.
- non-core powers: powers of the rural akim in a sector that `SectorOwner` gives to another level or body.
- non-core categories: request categories the rural akims forward in a share at or above the threshold.
- missing: categories that make a large share of all requests (at least `min_volume_share`), that no power of
  the rural akim covers, and that are mostly forwarded: residents expect the akim to solve them.
"""

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from esep.appeals.models import AppealStat, Category
from esep.appeals.routing import category_route
from esep.core.errors import ApplicationError
from esep.powers import similarity
from esep.powers.models import (
    DuplicatePairReview,
    FindingKind,
    PairVerdict,
    Power,
    PowerLevel,
    Sector,
    SectorOwner,
)
from esep.territory.models import Territory

DEFAULT_THRESHOLD = 0.5
DEFAULT_FORWARD_SHARE = 0.5
DEFAULT_MIN_VOLUME_SHARE = 0.05
DEFAULT_MONTHS = 12
LEVEL_ORDER = {value: index for index, value in enumerate(PowerLevel.values)}
SECTOR_ORDER = {value: index for index, value in enumerate(Sector.values)}


@dataclass(frozen=True)
class Params:
    threshold: float = DEFAULT_THRESHOLD
    forward_share: float = DEFAULT_FORWARD_SHARE
    min_volume_share: float = DEFAULT_MIN_VOLUME_SHARE
    months: int = DEFAULT_MONTHS
    today: date | None = None

    def validated(self) -> "Params":
        for name in ("threshold", "forward_share", "min_volume_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ApplicationError(
                    _("%(name)s must be between 0 and 1.") % {"name": name}, code="invalid_parameter"
                )
        if not 1 <= self.months <= 120:
            raise ApplicationError(_("months must be between 1 and 120."), code="invalid_parameter")
        return self


@dataclass(frozen=True)
class PowerText:
    code: str
    level: str
    body: str
    sector: str
    status: str
    text_ru: str
    text_kk: str
    text_en: str
    legal_basis: str

    @classmethod
    def of(cls, power: Power) -> "PowerText":
        return cls(
            code=power.code,
            level=power.level,
            body=power.body,
            sector=power.sector,
            status=power.status,
            text_ru=power.text_ru,
            text_kk=power.text_kk,
            text_en=power.text_en,
            legal_basis=str(power.legal_basis),
        )

    @property
    def level_label(self) -> str:
        return str(PowerLevel(self.level).label)

    @property
    def text(self) -> str:
        language = (get_language() or "ru")[:2]
        if language == "kk":
            return self.text_kk
        if language == "en":
            return self.text_en or self.text_ru
        return self.text_ru

    @property
    def compared_texts(self) -> list[tuple[str, str]]:
        """The Russian and Kazakh texts the similarity was computed on, less the one shown as `text`."""
        language = (get_language() or "ru")[:2]
        return [
            (code, text) for code, text in (("ru", self.text_ru), ("kk", self.text_kk)) if code != language
        ]

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label)


@dataclass
class DuplicatePair:
    first: PowerText
    second: PowerText
    score: float
    score_ru: float
    score_kk: float
    shared_ru: list[str]
    shared_kk: list[str]
    verdict: str = ""
    verdict_comment: str = ""
    # The texts changed since the verdict was given.
    stale: bool = False

    @property
    def key(self) -> str:
        return duplicate_key(self.first.code, self.second.code)

    @property
    def sides(self) -> tuple[PowerText, PowerText]:
        return self.first, self.second


@dataclass
class NonCorePower:
    power: PowerText
    owner_level: str
    owner_body: str
    owner_note: str
    # Powers of the owning level in the same sector, the most similar first: [(PowerText, score)].
    owner_powers: list[tuple[PowerText, float]]

    @property
    def key(self) -> str:
        return f"{FindingKind.NON_CORE_POWER}:{self.power.code}"


@dataclass
class RegionCount:
    kato: str
    name: str
    registered: int
    forwarded: int

    @property
    def forwarded_share(self) -> float:
        return self.forwarded / self.registered if self.registered else 0.0


@dataclass
class CategoryStats:
    code: str
    name_ru: str
    name_kk: str
    name_en: str
    power_codes: list[str]
    rural_power_codes: list[str]
    # Who holds the category's power, by the catalogue (routing.category_route).
    holder: str
    registered: int
    forwarded: int
    volume_share: float
    by_region: list[RegionCount] = field(default_factory=list)
    # Codes of the catalogue, to tell which of `power_codes` name no power at all.
    known_codes: frozenset[str] = frozenset()

    @property
    def share(self) -> float:
        return self.forwarded / self.registered if self.registered else 0.0

    @property
    def unknown_power_codes(self) -> list[str]:
        return [code for code in self.power_codes if code not in self.known_codes]

    @property
    def name(self) -> str:
        language = (get_language() or "ru")[:2]
        return {"kk": self.name_kk, "en": self.name_en}.get(language, self.name_ru)


@dataclass
class Analysis:
    params: Params
    period_start: date
    period_end: date
    powers_count: int
    registered: int
    forwarded: int
    duplicates: list[DuplicatePair]
    non_core_powers: list[NonCorePower]
    forwarded_categories: list[CategoryStats]
    missing: list[CategoryStats]
    categories: list[CategoryStats]

    def to_json(self) -> dict[str, Any]:
        def power(text: PowerText) -> dict[str, Any]:
            return asdict(text)

        def category(stats: CategoryStats) -> dict[str, Any]:
            return category_evidence(stats)

        return {
            "params": {
                "threshold": self.params.threshold,
                "forward_share": self.params.forward_share,
                "min_volume_share": self.params.min_volume_share,
                "months": self.params.months,
            },
            "period": {"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            "powers": self.powers_count,
            "requests": {"registered": self.registered, "forwarded": self.forwarded},
            "duplicates": [
                {
                    "key": pair.key,
                    "first": power(pair.first),
                    "second": power(pair.second),
                    "score": round(pair.score, 4),
                    "score_ru": round(pair.score_ru, 4),
                    "score_kk": round(pair.score_kk, 4),
                    "shared_words_ru": pair.shared_ru,
                    "shared_words_kk": pair.shared_kk,
                    "verdict": pair.verdict,
                    "verdict_comment": pair.verdict_comment,
                    "verdict_stale": pair.stale,
                }
                for pair in self.duplicates
            ],
            "non_core_powers": [
                {
                    "key": finding.key,
                    "power": power(finding.power),
                    "owner_level": finding.owner_level,
                    "owner_body": finding.owner_body,
                    "owner_note": finding.owner_note,
                    "owner_powers": [
                        {"code": text.code, "text_ru": text.text_ru, "score": round(score, 4)}
                        for text, score in finding.owner_powers
                    ],
                }
                for finding in self.non_core_powers
            ],
            "non_core_categories": [
                {"key": f"{FindingKind.NON_CORE_CATEGORY}:{stats.code}", **category(stats)}
                for stats in self.forwarded_categories
            ],
            "missing": [
                {"key": f"{FindingKind.MISSING}:{stats.code}", **category(stats)} for stats in self.missing
            ],
        }


def duplicate_key(first_code: str, second_code: str) -> str:
    first, second = sorted((first_code, second_code))
    return f"{FindingKind.DUPLICATE}:{first}|{second}"


def texts_digest(first: PowerText | Power, second: PowerText | Power) -> str:
    ordered = sorted((first, second), key=lambda power: power.code)
    body = "\n".join(f"{p.code}\n{p.text_ru}\n{p.text_kk}" for p in ordered)
    return hashlib.sha256(body.encode()).hexdigest()


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period(months: int, today: date | None = None) -> tuple[date, date]:
    """The first days of the first and the last month of the last `months` months, this month included."""
    this_month = (today or timezone.localdate()).replace(day=1)
    return add_months(this_month, -(months - 1)), this_month


# --- duplicates -----------------------------------------------------------------------------------------


def _similarities(texts: list[PowerText]) -> tuple[list[list[float]], list[list[float]]]:
    return (
        similarity.similarity_matrix([text.text_ru for text in texts]),
        similarity.similarity_matrix([text.text_kk for text in texts]),
    )


def pair_scores(first: PowerText, second: PowerText, texts: list[PowerText]) -> tuple[float, float, float]:
    """(score, ru, kk) of one pair, with the inverse document frequencies of the whole catalogue `texts`."""
    index = {text.code: position for position, text in enumerate(texts)}
    ru, kk = _similarities(texts)
    a, b = index[first.code], index[second.code]
    return (ru[a][b] + kk[a][b]) / 2, ru[a][b], kk[a][b]


def find_duplicates(
    texts: list[PowerText],
    reviews: dict[tuple[str, str], DuplicatePairReview],
    threshold: float,
    matrices: tuple[list[list[float]], list[list[float]]] | None = None,
) -> list[DuplicatePair]:
    ru, kk = matrices or _similarities(texts)
    pairs = []
    for a, first in enumerate(texts):
        for b in range(a + 1, len(texts)):
            second = texts[b]
            if first.level == second.level:
                continue
            score = (ru[a][b] + kk[a][b]) / 2
            if score < threshold or score <= 0:
                continue
            one, other = sorted((first, second), key=lambda text: text.code)
            pair = DuplicatePair(
                first=one,
                second=other,
                score=score,
                score_ru=ru[a][b],
                score_kk=kk[a][b],
                shared_ru=similarity.shared_words(one.text_ru, other.text_ru),
                shared_kk=similarity.shared_words(one.text_kk, other.text_kk),
            )
            review = reviews.get((one.code, other.code))
            if review is not None:
                pair.verdict = review.verdict
                pair.verdict_comment = review.comment
                pair.stale = review.texts_digest != texts_digest(one, other)
            pairs.append(pair)
    pairs.sort(key=lambda pair: (-pair.score, pair.first.code, pair.second.code))
    return pairs


def pair_get(first_code: str, second_code: str) -> DuplicatePair:
    """One pair with its scores over the whole catalogue and its verdict, whatever the threshold."""
    texts = catalogue_texts()
    by_code = {text.code: text for text in texts}
    first, second = (by_code[code] for code in sorted((first_code, second_code)))
    score, score_ru, score_kk = pair_scores(first, second, texts)
    pair = DuplicatePair(
        first=first,
        second=second,
        score=score,
        score_ru=score_ru,
        score_kk=score_kk,
        shared_ru=similarity.shared_words(first.text_ru, second.text_ru),
        shared_kk=similarity.shared_words(first.text_kk, second.text_kk),
    )
    review = DuplicatePairReview.objects.filter(first_code=first.code, second_code=second.code).first()
    if review is not None:
        pair.verdict, pair.verdict_comment = review.verdict, review.comment
        pair.stale = review.texts_digest != texts_digest(first, second)
    return pair


# --- non-core powers ------------------------------------------------------------------------------------


def find_non_core_powers(
    texts: list[PowerText],
    owners: dict[str, SectorOwner],
    matrices: tuple[list[list[float]], list[list[float]]],
) -> list[NonCorePower]:
    ru, kk = matrices
    findings = []
    for a, text in enumerate(texts):
        owner = owners.get(text.sector)
        if text.level != PowerLevel.RURAL or owner is None:
            continue
        owner_powers = [
            (other, (ru[a][b] + kk[a][b]) / 2)
            for b, other in enumerate(texts)
            if other.level == owner.level
            and other.sector == text.sector
            and (owner.level != PowerLevel.OTHER or not owner.body or other.body == owner.body)
        ]
        owner_powers.sort(key=lambda entry: (-entry[1], entry[0].code))
        findings.append(
            NonCorePower(
                power=text,
                owner_level=owner.level,
                owner_body=owner.body,
                owner_note=owner.note,
                owner_powers=owner_powers,
            )
        )
    findings.sort(key=lambda finding: (SECTOR_ORDER.get(finding.power.sector, 99), finding.power.code))
    return findings


# --- request categories ---------------------------------------------------------------------------------


def category_statistics(
    *, start: date, end: date, levels: dict[str, str]
) -> tuple[list[CategoryStats], int, int]:
    """Registered and forwarded requests per category in the period, for the country and each region
    (three queries: categories, regions, counters)."""
    categories = list(Category.objects.order_by("position", "code"))
    regions = {region.kato: region.name for region in Territory.objects.regions().order_by("kato")}
    rows = (
        AppealStat.objects.filter(month__gte=start, month__lte=end)
        .filter(Q(scope="") | Q(scope__in=list(regions)))
        .values("scope", "category_id")
        .annotate(registered=Sum("registered"), forwarded=Sum("forwarded"))
    )
    country: dict[int, tuple[int, int]] = {}
    by_region: dict[int, list[RegionCount]] = {}
    for row in rows:
        counts = (row["registered"] or 0, row["forwarded"] or 0)
        if row["scope"] == "":
            country[row["category_id"]] = counts
        else:
            by_region.setdefault(row["category_id"], []).append(
                RegionCount(row["scope"], regions.get(row["scope"], row["scope"]), *counts)
            )
    total_registered = sum(registered for registered, _forwarded in country.values())
    total_forwarded = sum(forwarded for _registered, forwarded in country.values())
    known = frozenset(levels)
    result = []
    for category in categories:
        registered, forwarded = country.get(category.pk, (0, 0))
        regions_rows = sorted(by_region.get(category.pk, []), key=lambda region: region.kato)
        route = category_route(category, levels)
        result.append(
            CategoryStats(
                code=category.code,
                name_ru=category.name_ru,
                name_kk=category.name_kk,
                name_en=category.name_en,
                power_codes=list(category.power_codes),
                rural_power_codes=[
                    code for code in category.power_codes if levels.get(code) == PowerLevel.RURAL
                ],
                holder=route.holder,
                registered=registered,
                forwarded=forwarded,
                volume_share=registered / total_registered if total_registered else 0.0,
                by_region=regions_rows,
                known_codes=known,
            )
        )
    return result, total_registered, total_forwarded


def category_evidence(stats: CategoryStats) -> dict[str, Any]:
    return {
        "category": stats.code,
        "name_ru": stats.name_ru,
        "name_kk": stats.name_kk,
        "name_en": stats.name_en,
        "power_codes": stats.power_codes,
        "rural_power_codes": stats.rural_power_codes,
        "unknown_power_codes": stats.unknown_power_codes,
        "holder": stats.holder,
        "registered": stats.registered,
        "forwarded": stats.forwarded,
        "forwarded_share": round(stats.share, 4),
        "volume_share": round(stats.volume_share, 4),
        "by_region": [
            {
                "kato": region.kato,
                "name": region.name,
                "registered": region.registered,
                "forwarded": region.forwarded,
                "forwarded_share": round(region.forwarded_share, 4),
            }
            for region in stats.by_region
        ],
    }


def forwarded_categories(stats: list[CategoryStats], forward_share: float) -> list[CategoryStats]:
    found = [s for s in stats if s.registered and s.share >= forward_share]
    return sorted(found, key=lambda s: (-s.share, -s.forwarded, s.code))


def missing_categories(
    stats: list[CategoryStats], forward_share: float, min_volume_share: float
) -> list[CategoryStats]:
    found = [
        s
        for s in stats
        if s.registered
        and not s.rural_power_codes
        and s.share >= forward_share
        and s.volume_share >= min_volume_share
    ]
    return sorted(found, key=lambda s: (-s.forwarded, s.code))


# --- the whole analysis ---------------------------------------------------------------------------------


def catalogue_texts() -> list[PowerText]:
    return [PowerText.of(power) for power in Power.objects.order_by("code")]


def reviews_by_pair() -> dict[tuple[str, str], DuplicatePairReview]:
    return {(review.first_code, review.second_code): review for review in DuplicatePairReview.objects.all()}


def analyse(params: Params | None = None) -> Analysis:
    """Run the three analyses on the catalogue and the counters as they are now (seven queries)."""
    params = (params or Params()).validated()
    texts = catalogue_texts()
    matrices = _similarities(texts)
    owners = {owner.sector: owner for owner in SectorOwner.objects.all()}
    start, end = period(params.months, params.today)
    levels = {text.code: text.level for text in texts}
    stats, registered, forwarded = category_statistics(start=start, end=end, levels=levels)
    return Analysis(
        params=params,
        period_start=start,
        period_end=end,
        powers_count=len(texts),
        registered=registered,
        forwarded=forwarded,
        duplicates=find_duplicates(texts, reviews_by_pair(), params.threshold, matrices),
        non_core_powers=find_non_core_powers(texts, owners, matrices),
        forwarded_categories=forwarded_categories(stats, params.forward_share),
        missing=missing_categories(stats, params.forward_share, params.min_volume_share),
        categories=stats,
    )


# --- one finding's evidence, for a proposal ---------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    power_codes: tuple[str, ...]
    category_code: str
    evidence: dict[str, Any]
    # Where a proposal "add" files by default, and the sector it files under.
    sector: str


def finding_get(key: str, params: Params | None = None) -> Finding:
    """The finding named by `key`, with its evidence as it is now; ApplicationError when it names nothing."""
    params = (params or Params()).validated()
    kind, _sep, rest = key.partition(":")
    texts = catalogue_texts()
    by_code = {text.code: text for text in texts}
    unknown = ApplicationError(_("There is no such finding: %(key)s.") % {"key": key}, code="unknown_finding")
    if kind == FindingKind.DUPLICATE:
        first_code, _bar, second_code = rest.partition("|")
        first, second = by_code.get(first_code), by_code.get(second_code)
        if first is None or second is None or first.level == second.level or first_code >= second_code:
            raise unknown
        score, score_ru, score_kk = pair_scores(first, second, texts)
        evidence = {
            "first": asdict(first),
            "second": asdict(second),
            "score": round(score, 4),
            "score_ru": round(score_ru, 4),
            "score_kk": round(score_kk, 4),
            "shared_words_ru": similarity.shared_words(first.text_ru, second.text_ru),
            "shared_words_kk": similarity.shared_words(first.text_kk, second.text_kk),
        }
        review = DuplicatePairReview.objects.filter(first_code=first_code, second_code=second_code).first()
        if review is not None:
            evidence["verdict"] = review.verdict
            evidence["verdict_comment"] = review.comment
        return Finding(kind, key, (first_code, second_code), "", evidence, first.sector)
    if kind == FindingKind.NON_CORE_POWER:
        text = by_code.get(rest)
        owners = {owner.sector: owner for owner in SectorOwner.objects.all()}
        if text is None:
            raise unknown
        found = [f for f in find_non_core_powers(texts, owners, _similarities(texts)) if f.power.code == rest]
        if not found:
            raise ApplicationError(
                _("%(code)s is not a rural power in a sector owned by another body.") % {"code": rest},
                code="unknown_finding",
            )
        finding = found[0]
        evidence = {
            "power": asdict(finding.power),
            "owner_level": finding.owner_level,
            "owner_body": finding.owner_body,
            "owner_note": finding.owner_note,
            "owner_powers": [
                {"code": other.code, "level": other.level, "text_ru": other.text_ru, "score": round(score, 4)}
                for other, score in finding.owner_powers
            ],
        }
        return Finding(kind, key, (rest,), "", evidence, text.sector)
    if kind in (FindingKind.NON_CORE_CATEGORY, FindingKind.MISSING):
        start, end = period(params.months, params.today)
        stats, _registered, _forwarded = category_statistics(
            start=start, end=end, levels={text.code: text.level for text in texts}
        )
        found_stats = [s for s in stats if s.code == rest]
        if not found_stats:
            raise unknown
        category = found_stats[0]
        evidence = {
            **category_evidence(category),
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "powers": [asdict(by_code[code]) for code in category.power_codes if code in by_code],
        }
        codes = tuple(code for code in category.power_codes if code in by_code)
        return Finding(kind, key, codes, category.code, evidence, category_sector(category, by_code))
    raise unknown


def category_sector(category: CategoryStats, by_code: dict[str, PowerText]) -> str:
    """The sector a category files under: its first catalogued power's, else its first code's prefix."""
    for code in category.power_codes:
        if code in by_code:
            return by_code[code].sector
    for code in category.power_codes:
        prefix = code.split(".", 1)[0]
        if prefix in Sector.values:
            return prefix
    return Sector.GOVERNANCE


def verdict_label(verdict: str) -> str:
    return str(PairVerdict(verdict).label) if verdict else ""
