from django.contrib.auth import get_user_model

from esep.core.admin_site import ReadOnlyAdmin, site
from esep.core.models import RoleAssignment


class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "territory", "party_code", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "territory__kato"]
    list_select_related = ["user", "territory"]


class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["username", "first_name", "last_name"]
    exclude = ["password"]


site.register(RoleAssignment, RoleAssignmentAdmin)
site.register(get_user_model(), UserAdmin)
