from esep.core.admin_site import ReadOnlyAdmin, site
from esep.recall.models import Initiative, PartyWithdrawal, RecallThresholdTable


class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kato", "state", "signature_count", "signatures_required", "filed_at"]
    list_filter = ["state"]
    search_fields = ["kato"]
    raw_id_fields = ["rural_unit", "mandate", "filed_by", "recall_vote"]


class PartyWithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kato", "party", "state", "decision_number", "filed_at"]
    list_filter = ["state"]
    raw_id_fields = ["mandate", "rural_unit", "filed_by", "decided_by"]


class RecallThresholdTableAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "created_at"]


# Signatures are personal data: they are not in the admin at all.
site.register(Initiative, InitiativeAdmin)
site.register(PartyWithdrawal, PartyWithdrawalAdmin)
site.register(RecallThresholdTable, RecallThresholdTableAdmin)
