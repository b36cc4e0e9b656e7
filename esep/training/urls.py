from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.training import views

app_name = "training"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<slug:code>/", views.course_detail, name="course"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("enrolments/<int:enrolment_id>/result/", views.enrolment_complete, name="enrolment_complete"),
    path("enrolments/<int:enrolment_id>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrol/", views.enrol, name="enrol"),
    # An akim's profile is the person's: training stays with them across mandates and units.
    path("akims/<int:person_id>/", views.akim, name="akim"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path("overview/", views.overview, name="overview"),
    path("overview/<kato:kato>/", views.overview, name="overview_area"),
    path("staff/", views.staff, name="staff"),
    path("staff/<kato:kato>/", views.staff, name="staff_area"),
    path("staff/<kato:kato>/positions/", views.staff_position_create, name="staff_position_create"),
    path("staff/<kato:kato>/akim-post/", views.akim_post_set, name="akim_post_set"),
    path(
        "staff/positions/<int:position_id>/<slug:action>/",
        views.staff_position_action,
        name="staff_position_action",
    ),
    path("instructions/", views.instruction_list, name="instructions"),
    path("instructions/new/", views.instruction_create, name="instruction_create"),
    path("instructions/<int:instruction_id>/", views.instruction_detail, name="instruction"),
    path("instructions/assignees/<int:assignment_id>/reports/", views.report_create, name="report_create"),
    path("instructions/reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("notifications/", views.notifications, name="notifications"),
]
