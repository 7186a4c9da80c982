"""Django admin for system administrators; officers use the plan pages (rules in services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "number", "year_from", "year_to"]
    raw_id_fields = ["unit", "created_by"]
    search_fields = ["title", "number"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["sentence", "plan", "type_code", "kind"]
    list_filter = ["type_code", "kind"]
    raw_id_fields = ["plan"]


@admin.register(FundLine)
class FundLineAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "source", "amount", "money_unit"]
    raw_id_fields = ["plan"]


@admin.register(Directive)
class DirectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "number", "issued_on", "unit"]
    raw_id_fields = ["unit"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["content", "lead", "lead_text", "deadline_text", "deadline", "status"]
    list_filter = ["status", "deadline_kind"]
    raw_id_fields = ["plan", "directive", "lead", "coordinators"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(SimpleHistoryAdmin):
    list_display = ["task", "written_on", "completes", "occurrence_due"]
    raw_id_fields = ["task", "author"]


@admin.register(StatusKind)
class StatusKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "applies_to"]


@admin.register(HamletStatus)
class HamletStatusAdmin(SimpleHistoryAdmin):
    list_display = ["hamlet", "kind", "year", "achieved", "recognised_on"]
    raw_id_fields = ["hamlet"]


@admin.register(HouseholdStatus)
class HouseholdStatusAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "kind", "year", "achieved", "households", "as_of"]
    raw_id_fields = ["commune"]


@admin.register(CommuneStatus)
class CommuneStatusAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "kind", "year", "achieved", "recognised_on"]
    raw_id_fields = ["commune"]
