"""The admin site, for administrators only, and read-only: every write goes through the services."""

from django.contrib import admin
from django.http import HttpRequest

from esep.core.access import may


class EsepAdminSite(admin.AdminSite):
    site_header = "Esep"
    site_title = "Esep"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and may(request.user, "admin.site"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inspect rows; change them only through services (and so through the audit log)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


site = EsepAdminSite(name="admin")
