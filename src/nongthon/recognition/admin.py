from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nongthon.recognition.models import Application, Decision, Title


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "date", "kind", "issuer", "illustrative")
    list_filter = ("kind",)
    search_fields = ("number",)


@admin.register(Title)
class TitleAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "tier", "year", "status", "decision")
    list_filter = ("tier", "status")
    raw_id_fields = ("unit", "decision", "end_decision", "application", "criteria_set")


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "tier", "year", "status", "current_step")
    list_filter = ("status", "tier")
    raw_id_fields = ("unit", "criteria_set")
