from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.recall import views

app_name = "recall"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("unit/<kato:kato>/", views.unit_initiatives, name="unit"),
    path("unit/<kato:kato>/file/", views.initiative_file, name="file"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/count/", views.initiative_count, name="count"),
    path("<int:pk>/join/", views.initiative_join, name="join"),
    path("<int:pk>/leave/", views.initiative_leave, name="leave"),
    path("<int:pk>/withdraw/", views.initiative_withdraw, name="withdraw"),
    path("<int:pk>/answer/", views.initiative_answer, name="answer"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/unsign/", views.unsign, name="unsign"),
    path("mandate/<int:mandate_id>/", views.mandate_record, name="mandate"),
    # The election commission.
    path("manage/", views.manage, name="manage"),
    path("<int:pk>/register/", views.initiative_register, name="register"),
    path("<int:pk>/refuse/", views.initiative_refuse, name="refuse"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/paper/<int:number>/", views.sheet_detail, name="sheet"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("signature/<int:signature_id>/verify/", views.signature_verify, name="signature_verify"),
    path("<int:pk>/certify/", views.certify, name="certify"),
    path("<int:pk>/vote/", views.vote_schedule, name="vote"),
    path("<int:pk>/result/", views.vote_result, name="result"),
    # Parties.
    path("party/", views.party, name="party"),
    path("mandate/<int:mandate_id>/withdraw/", views.withdrawal_file, name="withdrawal_file"),
    path("withdrawal/<int:pk>/", views.withdrawal_detail, name="withdrawal"),
    path("withdrawal/<int:pk>/document/", views.withdrawal_document, name="withdrawal_document"),
    path("withdrawal/<int:pk>/decide/", views.withdrawal_decide, name="withdrawal_decide"),
    # Thresholds by electorate size.
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/new/", views.thresholds_publish, name="thresholds_publish"),
]
