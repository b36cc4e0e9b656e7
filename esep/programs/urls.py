from django.urls import path

from esep.programs import views

app_name = "programs"
urlpatterns = [
    path("rules/", views.rule_sets, name="rule_sets"),
    path("rules/new/", views.rule_set_new, name="rule_set_new"),
    path("mine/", views.my_programs, name="mine"),
    path("start/<int:candidacy_id>/", views.program_start, name="start"),
    path("<int:program_id>/", views.program_detail, name="program"),
    path("<int:program_id>/edit/", views.program_edit, name="edit"),
    path("<int:program_id>/edit/promise-row/", views.promise_row, name="promise_row"),
    path("<int:program_id>/edit/funding-row/", views.funding_row, name="funding_row"),
    path("<int:program_id>/edit/check/", views.check_panel, name="check"),
    path("<int:program_id>/amend/", views.program_amend, name="amend"),
    path("<int:program_id>/discard/", views.program_discard, name="discard"),
    path("promises/<int:promise_id>/update/", views.promise_update, name="promise_update"),
    path("unit/<kato:kato>/", views.unit_tracker, name="unit"),
    path("summary/", views.summary, name="summary"),
    path("summary/<kato:kato>/", views.summary, name="summary_in"),
    path("promises.csv", views.promises_download, {"fmt": "csv"}, name="download_csv"),
    path("promises.xlsx", views.promises_download, {"fmt": "xlsx"}, name="download_xlsx"),
]
