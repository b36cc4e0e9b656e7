"""Atom feed of a unit's published reports: each entry is a report, its summary, and its errata."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from esep.reports import selectors
from esep.reports.models import Report
from esep.territory.models import Level, Territory
from esep.territory.selectors import territory_get


class UnitReports(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, kato: str) -> Territory:
        unit = territory_get(kato)
        if not (unit.level == Level.UNIT and unit.has_elected_akim):
            raise Http404(kato)
        return unit

    def title(self, unit: Territory) -> str:
        return _("Reports of the akim of %(unit)s") % {"unit": unit.name}

    def link(self, unit: Territory) -> str:
        return reverse("reports:unit", args=[unit.kato])

    def subtitle(self, unit: Territory) -> str:
        return _("Accountability reports published on Esep, with their errata.")

    def items(self, unit: Territory) -> list[Report]:
        return selectors.unit_feed_reports(unit)

    def item_title(self, report: Report) -> str:
        return _("Report %(n)d: %(start)s to %(end)s") % {
            "n": report.sequence,
            "start": report.period_start.isoformat(),
            "end": report.due_on.isoformat(),
        }

    def item_description(self, report: Report) -> str:
        errata = "\n\n".join(
            _("Erratum of %(day)s: %(text)s")
            % {"day": erratum.published_at.date().isoformat(), "text": erratum.text}
            for erratum in report.errata.all()
        )
        return "\n\n".join(part for part in (report.summary, errata) if part)

    def item_link(self, report: Report) -> str:
        return reverse("reports:report", args=[report.pk])

    def item_pubdate(self, report: Report) -> datetime:
        return report.published_at

    def item_updateddate(self, report: Report) -> datetime:
        errata = list(report.errata.all())
        return errata[-1].published_at if errata else report.published_at

    def item_author_name(self, report: Report) -> str:
        return report.mandate.person.full_name
