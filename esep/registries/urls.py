from django.urls import path

from esep.registries import views

app_name = "registries"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("lookup/<str:number>/", views.lookup, name="lookup"),
]
