from django.urls import include, path

from esep.api.api import api
from esep.core import views as core_views
from esep.core.admin_site import site as admin_site
from esep.elections import views as elections_views

urlpatterns = [
    path("i18n/setlang/", core_views.language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("bench/ceiling", core_views.ceiling, name="ceiling"),
    path("admin/", admin_site.urls),
    # The one upload with a plain address (Person.photo.url); other files go through access-checked views.
    path("media/persons/<str:name>", elections_views.person_photo, name="person_photo"),
    path("api/v1/", api.urls),
    path("accounts/", include("esep.accounts.urls")),
    path("elections/", include("esep.elections.urls")),
    path("programs/", include("esep.programs.urls")),
    path("powers/", include("esep.powers.urls")),
    path("reports/", include("esep.reports.urls")),
    path("requests/", include("esep.appeals.urls")),
    path("registries/", include("esep.registries.urls")),
    path("recall/", include("esep.recall.urls")),
    path("training/", include("esep.training.urls")),
    path("dashboard/", include("esep.dashboard.urls")),
    path("open311/v2/", include("esep.appeals.open311_urls")),
    path("", include("esep.territory.urls")),
]
