"""Commune boundaries for the map: a GeoJSON file a system admin loads for a province, with its
source and licence, split into one geometry per commune.

No boundary file ships with nongthon: the official boundaries are not openly licensed, so a
province loads a file it has the right to use. Without one the map shows points.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Unit


class BoundaryFile(models.Model):
    """One upload. The latest active file of a province is the one the map draws; older ones
    are kept (inactive) with who loaded them and under which licence."""

    province = models.ForeignKey(
        Unit, models.PROTECT, related_name="boundary_files", verbose_name=_("tỉnh")
    )
    name = models.CharField(_("tên tệp"), max_length=200)
    source = models.CharField(_("nguồn dữ liệu"), max_length=300)
    licence = models.CharField(_("giấy phép sử dụng"), max_length=300)
    code_property = models.CharField(_("thuộc tính chứa mã xã"), max_length=60)
    feature_count = models.PositiveIntegerField(_("số xã có ranh giới"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("người nạp")
    )
    uploaded_at = models.DateTimeField(_("thời điểm nạp"), auto_now_add=True)
    history = AuditedHistory(unit="province")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("tệp ranh giới xã")
        verbose_name_plural = _("tệp ranh giới xã")

    def __str__(self) -> str:
        return f"{self.name} ({self.province.name})"


class CommuneBoundary(models.Model):
    """The polygon (GeoJSON Polygon or MultiPolygon, WGS84 lon/lat) of one commune."""

    file = models.ForeignKey(BoundaryFile, models.CASCADE, related_name="boundaries")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("xã"))
    geometry = models.JSONField(_("ranh giới"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "unit"], name="boundary_one_per_unit")
        ]
        verbose_name = _("ranh giới xã")
        verbose_name_plural = _("ranh giới xã")

    def __str__(self) -> str:
        return f"{self.unit.name} ({self.file.name})"
