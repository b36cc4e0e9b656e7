from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.core.access import public
from esep.reports import views
from esep.reports.feeds import UnitReports

app_name = "reports"
urlpatterns = [
    path("", views.timeliness, name="timeliness_country"),
    path("in/<kato:kato>/", views.timeliness, name="timeliness"),
    path("overdue/", views.overdue, name="overdue_country"),
    path("overdue/<kato:kato>/", views.overdue, name="overdue"),
    path("unit/<kato:kato>/", views.unit_reports, name="unit"),
    path("unit/<kato:kato>/start/", views.report_start, name="start"),
    path("unit/<kato:kato>/subscribe/", views.subscribe, name="subscribe"),
    path("feed/<kato:kato>/", public(UnitReports()), name="feed"),
    path("mandate/<int:mandate_id>/", views.mandate_reports, name="mandate"),
    path("mine/", views.mine, name="mine"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/edit/", views.report_edit, name="edit"),
    path("<int:report_id>/promise/<int:promise_id>/", views.update_edit, name="update"),
    path("<int:report_id>/publish/", views.report_publish, name="publish"),
    path("<int:report_id>/erratum/", views.erratum_add, name="erratum"),
    path("<int:report_id>/rate/", views.rate, name="rate"),
    path("<int:report_id>/ask/", views.ask, name="ask"),
    path("update/<int:update_id>/delete/", views.update_delete, name="update_delete"),
    path("update/<int:update_id>/verdict/", views.judge, name="judge"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("question/<int:question_id>/answer/", views.answer, name="answer"),
    path("question/<int:question_id>/hide/", views.hide, name="hide"),
    path("moderation/", views.moderation, name="moderation"),
    path("notifications/", views.notifications, name="notifications"),
    path("promise/<int:promise_id>/extension/", views.extension_file, name="extension_file"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/<int:extension_id>/decide/", views.extension_decide, name="extension_decide"),
]
