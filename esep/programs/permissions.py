"""Who may draft, check, publish and amend a program: an object-level question, asked by the pages and
the API alike."""

from esep.core import access
from esep.elections.models import Candidacy
from esep.programs.services import candidacy_holds_mandate
from esep.territory.models import Territory


def may_draft_for(user: object, candidacy: Candidacy, unit: Territory) -> bool:
    """The candidate themself (the signed-in user linked to the candidacy's person), or the akim and the
    akimat staff of the unit for the program of the akim who sits there now."""
    if not getattr(user, "is_authenticated", False):
        return False
    if candidacy.person.user_id is not None and candidacy.person.user_id == user.pk:
        return True
    return access.may(user, "programs.draft", unit) and candidacy_holds_mandate(candidacy)
