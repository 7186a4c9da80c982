from django.contrib import admin

from nongthon.audit.admin import ReadOnlyHistoryAdmin
from nongthon.funding.models import Debt, FundingLine, FundingSource, StatedTotal, Work


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "nature")


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ("unit", "year", "source", "kind", "amount", "on_date", "illustrative")
    list_filter = ("year", "kind", "source")
    raw_id_fields = ("unit",)


@admin.register(StatedTotal)
class StatedTotalAdmin(ReadOnlyHistoryAdmin):
    list_display = ("unit", "year", "kind", "amount", "written")
    raw_id_fields = ("unit",)


@admin.register(Work)
class WorkAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "commune", "criterion_number", "investment_total", "progress")
    raw_id_fields = ("commune",)


@admin.register(Debt)
class DebtAdmin(ReadOnlyHistoryAdmin):
    list_display = ("work", "amount", "year_incurred")
    raw_id_fields = ("work",)
