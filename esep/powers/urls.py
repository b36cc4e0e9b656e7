from django.urls import path

from esep.powers import views

app_name = "powers"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("export.csv", views.catalogue_export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.catalogue_export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("import/", views.catalogue_import, name="import"),
    path("new/", views.power_create, name="create"),
    path("analysis/", views.analysis_page, name="analysis"),
    path("analysis/review/", views.duplicate_review, name="review"),
    path("analysis/sectors/", views.sector_owner, name="sector_owner"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/accepted.xlsx", views.proposals_xlsx, name="proposals_xlsx"),
    path("proposals/report/", views.proposals_report, name="proposals_report"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("p/<str:code>/edit/", views.power_edit, name="edit"),
    path("p/<str:code>/status/", views.power_status, name="status"),
]
