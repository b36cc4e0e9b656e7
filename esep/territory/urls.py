from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.country, name="country"),
    path("t/<kato:kato>/", views.territory_detail, name="detail"),
    path("search/", views.search, name="search"),
]
