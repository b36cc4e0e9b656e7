from esep.core.admin_site import ReadOnlyAdmin, site
from esep.powers.models import Power


class PowerAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "sector", "status", "article", "item", "wording"]
    list_filter = ["level", "sector", "status"]
    search_fields = ["code", "search_text"]


site.register(Power, PowerAdmin)
