from django.urls import path

from esep.powers import views

app_name = "powers"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
