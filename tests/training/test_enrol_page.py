from django.urls import reverse

from esep.core.models import Role
from esep.training.models import Enrolment
from tests.training.factories import complete, make_session


def test_a_supervisor_previews_and_enrols_all_matching_akims_of_their_district(
    client, catalogue, akim_a, akim_a2, akim_b, make_user
) -> None:
    session = make_session(catalogue.courses["procurement"])
    complete(make_session(catalogue.courses["procurement"]), akim_a2)
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    filters = {"session": session.pk, "lacking": "procurement"}
    preview = client.get(reverse("training:enrol"), filters)
    assert preview.status_code == 200
    assert preview.context["count"] == 1
    assert [m.person_id for m in preview.context["preview"]] == [akim_a.person_id]
    done = client.post(reverse("training:enrol"), filters)
    assert done.status_code == 302 and done["Location"] == reverse("training:session", args=[session.pk])
    assert list(Enrolment.objects.filter(session=session).values_list("person_id", flat=True)) == [
        akim_a.person_id
    ]


def test_the_candidates_never_leave_the_supervisors_territory(
    client, catalogue, akim_a, akim_b, make_user
) -> None:
    session = make_session(catalogue.courses["foundation"])
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    everyone = client.get(reverse("training:enrol"), {"session": session.pk})
    assert [m.person_id for m in everyone.context["preview"]] == [akim_a.person_id]
    outside = client.get(reverse("training:enrol"), {"session": session.pk, "within": akim_b.rural_unit.kato})
    assert outside.status_code == 403


def test_the_page_is_for_supervisors_and_bad_filters_are_a_400(client, catalogue, akim_a, make_user) -> None:
    url = reverse("training:enrol")
    client.force_login(make_user(Role.AKIM, akim_a.rural_unit))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.REGION_SUPERVISOR, akim_a.rural_unit.parent.parent))
    assert client.get(url).status_code == 200
    bad = client.post(url, {"session": 999999, "within": "12"})
    assert bad.status_code == 400 and {"session", "within"} <= set(bad.context["form"].errors)
