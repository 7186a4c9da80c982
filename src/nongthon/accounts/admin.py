from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from nongthon.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit", "agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    inlines = [MembershipInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("nongthon", {"fields": ("full_name", "phone", "position")}),
    )
