"""The benchmarks' ceiling: a minimal page through the whole middleware stack, never a query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_the_ceiling_renders_its_template_without_a_query(db, client) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ceiling"))
    assert response.status_code == 200
    assert b"Esep is running." in response.content
    assert len(captured) == 0
    # The middleware stack ran: the security headers of every page are there.
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
