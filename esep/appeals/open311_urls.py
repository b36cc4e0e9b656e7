"""Open311 GeoReport v2, mounted at /open311/v2/ by esep/urls.py. The suffix picks the format."""

from django.urls import re_path

from esep.appeals import open311

app_name = "open311"
FORMAT = r"\.(?P<fmt>[a-z]{1,10})$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[\w-]{1,40})" + FORMAT, open311.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, open311.request_list, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[\w-]{1,20})" + FORMAT, open311.request_detail, name="request"
    ),
]
