from django.contrib import admin

from nongthon.audit.admin import ReadOnlyHistoryAdmin
from nongthon.recognition.models import Application, Decision, Title


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("number", "date", "kind", "issuer", "illustrative")
    list_filter = ("kind",)
    search_fields = ("number",)


@admin.register(Title)
class TitleAdmin(ReadOnlyHistoryAdmin):
    list_display = ("unit", "tier", "year", "status", "decision")
    list_filter = ("tier", "status")
    raw_id_fields = ("unit", "decision", "end_decision", "application", "criteria_set")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("unit", "tier", "year", "status", "current_step")
    list_filter = ("status", "tier")
    raw_id_fields = ("unit", "criteria_set")
