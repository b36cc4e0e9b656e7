from esep.core.admin_site import ReadOnlyAdmin, site
from esep.powers.models import DuplicatePairReview, Power, Proposal, SectorOwner


class PowerAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "sector", "status", "article", "item", "basis_checked", "wording"]
    list_filter = ["level", "sector", "status", "basis_checked"]
    search_fields = ["code", "search_text"]


class SectorOwnerAdmin(ReadOnlyAdmin):
    list_display = ["sector", "level", "body"]


class DuplicatePairReviewAdmin(ReadOnlyAdmin):
    list_display = ["first_code", "second_code", "verdict", "score", "reviewed_at"]
    list_filter = ["verdict"]


class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "finding",
        "power",
        "category_code",
        "level",
        "sector",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind", "finding", "level"]
    list_select_related = ["power"]


site.register(Power, PowerAdmin)
site.register(SectorOwner, SectorOwnerAdmin)
site.register(DuplicatePairReview, DuplicatePairReviewAdmin)
site.register(Proposal, ProposalAdmin)
