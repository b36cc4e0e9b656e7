from esep.core.admin_site import ReadOnlyAdmin, site
from esep.training.models import (
    AkimPost,
    Assignment,
    Body,
    Course,
    Enrolment,
    Instruction,
    Module,
    Notification,
    PostCategory,
    ProgressReport,
    Provider,
    Session,
    StaffPosition,
)


class CourseAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_ru", "provider", "hours", "is_foundation", "is_active"]
    list_filter = ["provider", "is_foundation", "is_active"]


class SessionAdmin(ReadOnlyAdmin):
    list_display = ["course", "starts_on", "ends_on", "place", "mode", "capacity"]
    list_filter = ["course", "mode"]
    raw_id_fields = ["region"]


class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "session", "rural_unit", "status", "score", "certificate_number"]
    list_filter = ["status"]
    raw_id_fields = ["person", "session", "rural_unit"]
    search_fields = ["certificate_number", "rural_unit__kato"]


class StaffPositionAdmin(ReadOnlyAdmin):
    list_display = ["rural_unit", "kind", "category", "filled_since", "abolished_on"]
    list_filter = ["kind", "category"]
    raw_id_fields = ["rural_unit"]


class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["number", "issuer", "issued_on", "deadline", "status"]
    list_filter = ["status", "issuer"]


class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["instruction", "kind", "body", "territory", "status", "overdue_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["territory"]


for model in (Provider, Module, PostCategory, Body, AkimPost, ProgressReport, Notification):
    site.register(model, ReadOnlyAdmin)
site.register(Course, CourseAdmin)
site.register(Session, SessionAdmin)
site.register(Enrolment, EnrolmentAdmin)
site.register(StaffPosition, StaffPositionAdmin)
site.register(Instruction, InstructionAdmin)
site.register(Assignment, AssignmentAdmin)
