"""Django admin for system administrators; officers use the plan pages (rules in services)."""

from django.contrib import admin

from nongthon.audit.admin import ReadOnlyHistoryAdmin
from nongthon.plans.models import (
    CommuneStatus,
    Directive,
    FundLine,
    HamletStatus,
    HouseholdStatus,
    Plan,
    ProgressNote,
    StatusKind,
    Target,
    Task,
)


@admin.register(Plan)
class PlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "unit", "number", "year_from", "year_to"]
    raw_id_fields = ["unit", "created_by"]
    search_fields = ["title", "number"]


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["sentence", "plan", "type_code", "kind"]
    list_filter = ["type_code", "kind"]
    raw_id_fields = ["plan"]


@admin.register(FundLine)
class FundLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ["plan", "source", "amount", "money_unit"]
    raw_id_fields = ["plan"]


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "kind", "number", "issued_on", "unit"]
    raw_id_fields = ["unit"]


@admin.register(Task)
class TaskAdmin(ReadOnlyHistoryAdmin):
    list_display = ["content", "lead", "lead_text", "deadline_text", "deadline", "status"]
    list_filter = ["status", "deadline_kind"]
    raw_id_fields = ["plan", "directive", "lead", "coordinators"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(ReadOnlyHistoryAdmin):
    list_display = ["task", "written_on", "completes", "occurrence_due"]
    raw_id_fields = ["task", "author"]


@admin.register(StatusKind)
class StatusKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "applies_to"]


@admin.register(HamletStatus)
class HamletStatusAdmin(ReadOnlyHistoryAdmin):
    list_display = ["hamlet", "kind", "year", "achieved", "recognised_on"]
    raw_id_fields = ["hamlet"]


@admin.register(HouseholdStatus)
class HouseholdStatusAdmin(ReadOnlyHistoryAdmin):
    list_display = ["commune", "kind", "year", "achieved", "households", "as_of"]
    raw_id_fields = ["commune"]


@admin.register(CommuneStatus)
class CommuneStatusAdmin(ReadOnlyHistoryAdmin):
    list_display = ["commune", "kind", "year", "achieved", "recognised_on"]
    raw_id_fields = ["commune"]
