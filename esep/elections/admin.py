from esep.core.admin_site import ReadOnlyAdmin, site
from esep.elections.models import Candidacy, Election, ElectionResult, Mandate, Party, Person


class PartyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ru", "name_kk", "is_registered"]


class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "iin_masked", "birth_date", "sex", "party", "civil_service_years"]
    list_filter = ["sex", "education", "party"]
    search_fields = ["full_name"]
    raw_id_fields = ["user"]
    list_select_related = ["party"]


class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["rural_unit", "kind", "voting_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["rural_unit__kato"]
    raw_id_fields = ["rural_unit", "recall_of", "repeat_of"]
    list_select_related = ["rural_unit"]


class CandidacyAdmin(ReadOnlyAdmin):
    list_display = ["person", "election", "nomination", "party", "status"]
    list_filter = ["nomination", "status"]
    raw_id_fields = ["election", "person"]
    list_select_related = ["person", "election__rural_unit", "party"]


class ElectionResultAdmin(ReadOnlyAdmin):
    list_display = ["election", "voters_registered", "ballots_cast", "invalid_ballots", "certified_on", "tie"]
    raw_id_fields = ["election", "winner"]
    list_select_related = ["election__rural_unit"]


class MandateAdmin(ReadOnlyAdmin):
    list_display = ["person", "rural_unit", "party", "starts_on", "ends_on", "ended_on", "end_reason"]
    list_filter = ["end_reason", "nomination", "party"]
    search_fields = ["rural_unit__kato", "person__full_name"]
    raw_id_fields = ["person", "rural_unit", "election"]
    list_select_related = ["person", "rural_unit", "party"]


site.register(Party, PartyAdmin)
site.register(Person, PersonAdmin)
site.register(Election, ElectionAdmin)
site.register(Candidacy, CandidacyAdmin)
site.register(ElectionResult, ElectionResultAdmin)
site.register(Mandate, MandateAdmin)
