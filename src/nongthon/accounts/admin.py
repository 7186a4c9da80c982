from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nongthon.accounts.models import Membership, User
from nongthon.audit.admin import ReadOnlyHistoryAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit", "agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, ReadOnlyHistoryAdmin):
    inlines = [MembershipInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("nongthon", {"fields": ("full_name", "phone", "position")}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting an account would blank "who" in every history record it wrote (SET_NULL):
        # accounts are deactivated instead (the user page's "Khóa tài khoản").
        return False
