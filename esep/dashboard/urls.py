from django.urls import path

import esep.core.converters  # noqa: F401  (registers <kato:...>)
from esep.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.country, name="country"),
    path("data/<slug:name>.<slug:fmt>", views.download_country, name="download_country"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/esep-open-data.zip", views.open_data_zip, name="open_data_zip"),
    path("open-data/datapackage.json", views.open_data_descriptor, name="open_data_descriptor"),
    path("open-data/<slug:name>.csv", views.open_data_resource, name="open_data_resource"),
    path("<kato:kato>/", views.area, name="area"),
    path("<kato:kato>/data/<slug:name>.<slug:fmt>", views.download, name="download"),
]
