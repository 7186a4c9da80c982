"""The audit log's index: one row per historical record of an audited model.

The history itself stays in django-simple-history's tables (who, when, IP, every field). This
table only points at those records with the columns the log page filters on, so that one indexed
table answers "the latest changes in Hậu Giang by this user" however many millions of records
there are; `nongthon audit_reindex` rebuilds it from the history tables.

`province` and `district` are the province and district the unit lies in *or is*, so a
province's whole log is one equality on an indexed column.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATED = "+", _("Tạo mới")
    CHANGED = "~", _("Sửa")
    DELETED = "-", _("Xóa")


def _unit_link(verbose_name, related_name: str = "+") -> models.ForeignKey:
    # No database constraint: a log row must outlive nothing and block nothing.
    return models.ForeignKey(
        "places.Unit",
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Entry(models.Model):
    at = models.DateTimeField(_("thời điểm"))
    action = models.CharField(_("thao tác"), max_length=1, choices=Action.choices)
    model = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("loại dữ liệu")
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    history_id = models.BigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    unit = _unit_link(_("đơn vị"))
    province = _unit_link(_("tỉnh"))
    district = _unit_link(_("huyện"))

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        # Every list reads newest first by (at, id): each index ends with them.
        indexes = [
            models.Index(fields=["at", "id"], name="audit_at"),
            models.Index(fields=["province", "at", "id"], name="audit_province_at"),
            models.Index(fields=["district", "at", "id"], name="audit_district_at"),
            models.Index(fields=["unit", "at", "id"], name="audit_unit_at"),
            models.Index(fields=["user", "at", "id"], name="audit_user_at"),
            models.Index(fields=["model", "at", "id"], name="audit_model_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["model", "history_id"], name="audit_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model_id}:{self.object_id}"
