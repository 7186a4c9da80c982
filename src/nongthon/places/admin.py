from django.contrib import admin

from nongthon.audit.admin import ReadOnlyHistoryAdmin
from nongthon.places.models import Agency, Hamlet, Region, Succession, Unit


@admin.register(Region)
class RegionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "level", "edition", "valid_from", "valid_to"]
    list_filter = ["edition", "level", "kind"]
    search_fields = ["code", "search_text"]
    raw_id_fields = ["parent"]


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "is_default", "effective_date"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Hamlet)
class HamletAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "commune", "kind", "retired_on"]
    raw_id_fields = ["commune"]
    search_fields = ["search_text"]


@admin.register(Agency)
class AgencyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "unit", "kind", "valid_from", "valid_to"]
    raw_id_fields = ["unit", "succeeded_by"]
