from django.contrib import admin

from nongthon.ops.models import JobFailure


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    """Read-only: the record of what failed is evidence, not something to edit."""

    list_display = (
        "failed_at",
        "task_path",
        "attempt",
        "max_attempts",
        "will_retry",
        "resolved_at",
        "exception_class",
        "job_id",
    )
    list_filter = ("task_path", "will_retry", "exception_class")
    search_fields = ("job_id", "result_id", "message")
    date_hierarchy = "failed_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
