"""Users and their memberships: (unit, optional agency, role). Permissions derive from these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Agency, Level, Unit


class Role(models.TextChoices):
    PROVINCE_COORDINATOR = "province_coordinator", _("Điều phối cấp tỉnh")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ cấp huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    DEPARTMENT_OFFICER = "department_officer", _("Cán bộ sở, ngành")
    OCOP_COUNCIL = "ocop_council", _("Thành viên Hội đồng OCOP")
    OCOP_PRODUCER = "ocop_producer", _("Chủ thể OCOP")
    VIEWER = "viewer", _("Người xem")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


# The level of unit each role is held at; None = any level.
ROLE_LEVEL: dict[str, str | None] = {
    Role.PROVINCE_COORDINATOR: Level.PROVINCE,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.DEPARTMENT_OFFICER: Level.PROVINCE,
    Role.OCOP_COUNCIL: None,
    Role.OCOP_PRODUCER: Level.COMMUNE,
    Role.VIEWER: None,
    Role.SYSTEM_ADMIN: None,
}
ROLES_NEEDING_AGENCY = {Role.DEPARTMENT_OFFICER}


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    # Optimistic lock for profile edits: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = AuditedHistory(unit=None, excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("cơ quan"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditedHistory(unit="unit")

    class Meta:
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role", "agency"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        agency = f" – {self.agency}" if self.agency_id else ""
        return f"{self.get_role_display()}: {self.unit}{agency}"

    def clean(self) -> None:
        level = ROLE_LEVEL.get(self.role)
        if level and self.unit_id and self.unit.level != level:
            raise ValidationError(
                {
                    "unit": _("Vai trò «%(role)s» phải gắn với đơn vị %(level)s.")
                    % {"role": self.get_role_display(), "level": Level(level).label.lower()}
                }
            )
        if self.role in ROLES_NEEDING_AGENCY and not self.agency_id:
            raise ValidationError({"agency": _("Cán bộ sở, ngành phải gắn với một cơ quan.")})
        if self.agency_id and self.unit_id and self.agency.unit_id != self.unit_id:
            raise ValidationError({"agency": _("Cơ quan không thuộc đơn vị đã chọn.")})
