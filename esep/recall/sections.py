"""What recall adds to the territory pages (one query each).

A rural unit's page shows its initiative under way (progress against the threshold, days left) or the last
one that closed; the country, region and district pages show how many initiatives are in each state.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from esep.recall import selectors
from esep.recall.states import ACTIVE_STATES, State
from esep.territory.models import Level, Territory

# The states an area page counts, in the order it shows them.
AREA_STATES = (
    State.FILED,
    State.COLLECTING,
    State.VERIFICATION,
    State.VOTE_SCHEDULED,
    State.RECALLED,
    State.CERTIFIED_NOT_REACHED,
)


def territory_section(request: HttpRequest, territory: Territory | None) -> str:
    if territory is not None and territory.level == Level.UNIT:
        if not territory.has_elected_akim:
            return ""
        initiative = selectors.latest_in_unit(territory)
        # Keys of their own: the test client's response.context merges the page's context with this one.
        context = {
            "recall_unit": territory,
            "recall_initiative": initiative,
            "recall_active": initiative is not None and initiative.state in ACTIVE_STATES,
            "recall_days_left": initiative.days_left(timezone.localdate())
            if initiative is not None
            else None,
        }
        return render_to_string("recall/_section_unit.html", context, request=request)
    if territory is not None and territory.level not in (Level.REGION, Level.DISTRICT):
        return ""
    counts = selectors.counts_by_state(territory.code_prefix if territory is not None else "")
    rows = [(State(state).label, counts.get(state, 0)) for state in AREA_STATES]
    context = {
        "recall_area": territory,
        "recall_rows": rows,
        "recall_under_way": sum(counts.get(state, 0) for state in ACTIVE_STATES),
        "recall_total": sum(counts.values()),
    }
    return render_to_string("recall/_section_area.html", context, request=request)
