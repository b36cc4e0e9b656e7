from esep.core.admin_site import ReadOnlyAdmin, site
from esep.territory.models import Territory


class TerritoryAdmin(ReadOnlyAdmin):
    list_display = ["kato", "name_ru", "name_kk", "level", "kind", "has_elected_akim", "voters", "population"]
    list_filter = ["level", "kind", "has_elected_akim"]
    search_fields = ["kato", "search_text"]
    raw_id_fields = ["parent"]


site.register(Territory, TerritoryAdmin)
