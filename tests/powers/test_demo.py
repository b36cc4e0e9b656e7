"""The demo step: the demo analyst reviews the pairs and makes proposals through the services, once."""

from io import StringIO

import pytest

from esep.demo.accounts import ensure_demo_accounts
from esep.powers import demo
from esep.powers.models import DuplicatePairReview, Proposal


@pytest.mark.django_db
def test_the_demo_reviews_pairs_and_makes_proposals_once(requests_made) -> None:
    ensure_demo_accounts()
    out = StringIO()
    demo.run(out=out)
    assert DuplicatePairReview.objects.count() == 2
    statuses = sorted(Proposal.objects.values_list("status", flat=True))
    assert "accepted" in statuses and "proposed" in statuses
    assert Proposal.objects.filter(
        kind="exclude", power__code="public_order.patrols", status="accepted"
    ).exists()
    assert Proposal.objects.filter(finding_key="missing:land", status="accepted").exists()
    count = Proposal.objects.count()
    demo.run(out=out)
    assert Proposal.objects.count() == count and "exist already" in out.getvalue()
