"""What the reports app adds to the territory pages, read from the summary table `ReportStat`.

A rural unit: the latest report, the next due date, overdue in red, the average rating (one query). A
district: timeliness and the list of its units, overdue ones in red (two queries). A region and the
country: timeliness and its districts or regions (three queries).
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.reports import selectors, stats
from esep.territory.models import Level, Territory


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is not None and territory.level == Level.SETTLEMENT:
        return ""
    today = timezone.localdate()
    if territory is not None and territory.level == Level.UNIT:
        if not territory.has_elected_akim:
            return ""
        context = {"territory": territory, "stat": selectors.unit_stat(territory), "today": today}
        return render_to_string("reports/_section_unit.html", context, request=request)
    prefix = selectors.prefix_of(territory)
    context = {"territory": territory, "timeliness": stats.area_timeliness(prefix), "today": today}
    if territory is not None and territory.level == Level.DISTRICT:
        context["unit_stats"] = list(selectors.unit_stats(prefix))
        context["is_district"] = True
    else:
        rows = stats.timeliness_by("region" if territory is None else "district", prefix)
        names = selectors.area_names(list(rows))
        context["timeliness_rows"] = [(names.get(code), code, figures) for code, figures in rows.items()]
        context["level_title"] = _("Region") if territory is None else _("District")
    return render_to_string("reports/_section_area.html", context, request=request)
