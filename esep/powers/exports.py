"""The accepted proposals as an XLSX workbook and as rows for the printable report, by level and sector.

Sheet 1 "proposals": one row per accepted proposal with its evidence in words and numbers. Sheet 2 "by
region": the request statistics of each proposal that rests on them, one row per region. Every text cell
that a spreadsheet could read as a formula gets a leading apostrophe (catalogue_io.neutralise).
"""

import io
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from esep.powers.analysis import LEVEL_ORDER, SECTOR_ORDER
from esep.powers.catalogue_io import neutralise
from esep.powers.models import FindingKind, PowerLevel, Proposal, ProposalKind, ProposalStatus, Sector


def accepted_proposals() -> list[Proposal]:
    """The accepted proposals ordered by level, then sector (in the order of the catalogue), kind, date."""
    proposals: QuerySet[Proposal] = Proposal.objects.filter(status=ProposalStatus.ACCEPTED).select_related(
        "power", "created_by", "decided_by"
    )
    kinds = {value: index for index, value in enumerate(ProposalKind.values)}
    return sorted(
        proposals,
        key=lambda p: (
            LEVEL_ORDER.get(p.level, 99),
            SECTOR_ORDER.get(p.sector, 99),
            kinds.get(p.kind, 99),
            p.decided_at,
            p.pk,
        ),
    )


def evidence_summary(proposal: Proposal) -> str:
    """The evidence in one line of words: the similarity of a pair, the owner of a sector, request shares."""
    evidence = proposal.evidence or {}
    if proposal.finding == FindingKind.DUPLICATE:
        return _("similar to %(other)s: %(score).2f (ru %(ru).2f, kk %(kk).2f)") % {
            "other": _other_code(proposal),
            "score": evidence.get("score", 0),
            "ru": evidence.get("score_ru", 0),
            "kk": evidence.get("score_kk", 0),
        }
    if proposal.finding == FindingKind.NON_CORE_POWER:
        owner = evidence.get("owner_body") or _level_label(evidence.get("owner_level", ""))
        return _("the sector belongs to: %(owner)s") % {"owner": owner}
    if proposal.finding in (FindingKind.NON_CORE_CATEGORY, FindingKind.MISSING):
        return _(
            "%(registered)d requests, %(forwarded)d forwarded (%(share).0f%%), %(volume).1f%% of all requests"
        ) % {
            "registered": evidence.get("registered", 0),
            "forwarded": evidence.get("forwarded", 0),
            "share": 100 * evidence.get("forwarded_share", 0),
            "volume": 100 * evidence.get("volume_share", 0),
        }
    return ""


def _other_code(proposal: Proposal) -> str:
    evidence = proposal.evidence or {}
    codes = [evidence.get("first", {}).get("code", ""), evidence.get("second", {}).get("code", "")]
    own = proposal.power.code if proposal.power else ""
    others = [code for code in codes if code and code != own]
    return others[0] if others else ""


def _level_label(level: str) -> str:
    return str(PowerLevel(level).label) if level in PowerLevel.values else level


@dataclass(frozen=True)
class ReportRow:
    proposal: Proposal
    level_label: str
    sector_label: str
    subject: str
    text_ru: str
    text_kk: str
    summary: str


def report_rows(proposals: list[Proposal]) -> list[ReportRow]:
    rows = []
    for proposal in proposals:
        evidence = proposal.evidence or {}
        if proposal.power is not None:
            subject, text_ru, text_kk = proposal.power.code, proposal.power.text_ru, proposal.power.text_kk
        else:
            subject = proposal.category_code
            text_ru, text_kk = evidence.get("name_ru", ""), evidence.get("name_kk", "")
        rows.append(
            ReportRow(
                proposal=proposal,
                level_label=_level_label(proposal.level),
                sector_label=str(Sector(proposal.sector).label) if proposal.sector in Sector.values else "",
                subject=subject,
                text_ru=text_ru,
                text_kk=text_kk,
                summary=evidence_summary(proposal),
            )
        )
    return rows


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def proposals_xlsx(proposals: list[Proposal]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("proposals")[:31]
    header = [
        _("number"),
        _("level"),
        _("sector"),
        _("proposal"),
        _("to level"),
        _("power"),
        _("legal basis"),
        _("text (ru)"),
        _("text (kk)"),
        _("request category"),
        _("finding"),
        _("evidence"),
        _("similarity"),
        _("requests"),
        _("forwarded"),
        _("forwarded share"),
        _("rationale"),
        _("decision comment"),
        _("proposed by"),
        _("decided by"),
        _("decided on"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    regions = workbook.create_sheet(_("by region")[:31])
    regions.append(
        [
            _("number"),
            _("request category"),
            _("KATO code"),
            _("region"),
            _("requests"),
            _("forwarded"),
            _("forwarded share"),
        ]
    )
    for cell in regions[1]:
        cell.font = Font(bold=True)
    for row in report_rows(proposals):
        proposal = row.proposal
        evidence = proposal.evidence or {}
        is_category = proposal.finding in (FindingKind.NON_CORE_CATEGORY, FindingKind.MISSING)
        values: list[Any] = [
            proposal.pk,
            row.level_label,
            row.sector_label,
            str(ProposalKind(proposal.kind).label),
            _level_label(proposal.target_level) if proposal.target_level else "",
            proposal.power.code if proposal.power else "",
            str(proposal.power.legal_basis) if proposal.power else "",
            row.text_ru,
            row.text_kk,
            proposal.category_code,
            str(FindingKind(proposal.finding).label),
            row.summary,
            evidence.get("score") if proposal.finding == FindingKind.DUPLICATE else None,
            evidence.get("registered") if is_category else None,
            evidence.get("forwarded") if is_category else None,
            evidence.get("forwarded_share") if is_category else None,
            proposal.rationale,
            proposal.decision_comment,
            _person(proposal.created_by),
            _person(proposal.decided_by),
            proposal.decided_at.date() if proposal.decided_at else None,
        ]
        sheet.append([neutralise(value) for value in values])
        for region in evidence.get("by_region", []) if is_category else []:
            regions.append(
                [
                    neutralise(value)
                    for value in (
                        proposal.pk,
                        proposal.category_code,
                        region.get("kato", ""),
                        region.get("name", ""),
                        region.get("registered", 0),
                        region.get("forwarded", 0),
                        region.get("forwarded_share", 0),
                    )
                ]
            )
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQRSTU",
        [8, 16, 22, 18, 14, 30, 40, 60, 60, 16, 22, 50, 10, 10, 10, 10, 50, 50, 20, 20, 12],
        strict=True,
    ):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
