from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.akim_list, name="akims"),
    path("in/<kato:kato>/", views.akim_list, name="akims_in"),
    path("composition/", views.composition, name="composition"),
    path("composition/<kato:kato>/", views.composition, name="composition_in"),
    path("person/<int:person_id>/", views.person_detail, name="person"),
    path("person/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("election/<int:election_id>/", views.election_detail, name="election"),
    path("unit/<kato:kato>/", views.unit_elections, name="unit"),
    path("parties/", views.party_list, name="parties"),
    path("parties/new/", views.party_edit, name="party_new"),
    path("parties/<str:code>/edit/", views.party_edit, name="party_edit"),
    # The election commission's workflow.
    path("manage/", views.manage, name="manage"),
    path("unit/<kato:kato>/call/", views.election_call, name="call"),
    path("election/<int:election_id>/advance/", views.election_advance, name="advance"),
    path("election/<int:election_id>/cancel/", views.election_cancel, name="cancel"),
    path("election/<int:election_id>/nominate/", views.nominate, name="nominate"),
    path("election/<int:election_id>/results/", views.results, name="results"),
    path("candidacy/<int:candidacy_id>/decide/", views.candidacy_decide, name="decide"),
    path("mandate/<int:mandate_id>/end/", views.mandate_end, name="mandate_end"),
]
