from django.urls import include, path

from esep.core import views as core_views
from esep.core.admin_site import site as admin_site

urlpatterns = [
    path("i18n/setlang/", core_views.language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin_site.urls),
    path("accounts/", include("esep.accounts.urls")),
    path("", include("esep.territory.urls")),
]
