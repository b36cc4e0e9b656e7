from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.appeals import views

app_name = "appeals"
number = "<str:number>"
urlpatterns = [
    path("new/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notifications, name="notifications"),
    path("figures/", views.figures, name="figures_country"),
    path("figures/<kato:kato>/", views.figures, name="figures"),
    path(f"{number}/", views.detail, name="detail"),
    path(f"{number}/slip/", views.slip, name="slip"),
    path(f"{number}/photos/<int:photo_id>/", views.photo, name="photo"),
    path(f"{number}/start/", views.start, name="start"),
    path(f"{number}/assign/", views.assign, name="assign"),
    path(f"{number}/answer/", views.answer, name="answer"),
    path(f"{number}/extend/", views.extend, name="extend"),
    path(f"{number}/forward/", views.forward, name="forward"),
    path(f"{number}/close/", views.close, name="close"),
]
