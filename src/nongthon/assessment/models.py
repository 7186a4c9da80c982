"""Indicator values per unit and year with evidence, the unit's facts that choose thresholds,
stored evaluations (so pages never recompute on read), and confirmation by departments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Agency, Unit


class Flag(models.TextChoices):
    """Commune attributes that move it to the northern-mountain (TDMNPB) thresholds."""

    DBKK = "dbkk", _("Xã đặc biệt khó khăn")
    ATK_POOR_DISTRICT = "atk_poor_district", _("Xã an toàn khu thuộc huyện nghèo")
    KHU_VUC_II = "khu_vuc_ii", _("Xã khu vực II (vùng đồng bào DTTS và miền núi)")
    KHU_VUC_III = "khu_vuc_iii", _("Xã khu vực III (vùng đồng bào DTTS và miền núi)")
    COASTAL_DIFFICULT = "coastal_difficult", _("Xã đặc biệt khó khăn vùng bãi ngang ven biển")
    ISLAND_DIFFICULT = "island_difficult", _("Xã đặc biệt khó khăn vùng hải đảo")


class UnitProfile(models.Model):
    """A unit's facts for one year: commune group (2026-2030) and the flags of QĐ 318 Art. 1."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="profiles")
    year = models.PositiveSmallIntegerField(_("năm"))
    commune_group = models.PositiveSmallIntegerField(
        _("nhóm xã (QĐ 51/2025)"), null=True, blank=True
    )
    flags = models.JSONField(_("đặc điểm"), default=list, blank=True)
    note = models.CharField(_("căn cứ"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        verbose_name = _("đặc điểm đơn vị theo năm")
        verbose_name_plural = _("đặc điểm đơn vị theo năm")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unit_profile_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class IndicatorValue(models.Model):
    """One indicator's value for a unit and year, shared by every version of its set family."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="indicator_values")
    year = models.PositiveSmallIntegerField(_("năm"))
    family = models.SlugField(_("họ bộ tiêu chí"), max_length=60)
    indicator_code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    value_number = models.DecimalField(
        _("giá trị"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value_bool = models.BooleanField(_("đạt"), null=True, blank=True)
    value_text = models.CharField(_("phân loại"), max_length=120, blank=True)
    hand_verdict = models.BooleanField(_("đánh giá thủ công"), null=True, blank=True)
    hand_reason = models.TextField(_("lý do đánh giá"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    illustrative = models.BooleanField(
        _("dữ liệu minh họa"),
        default=False,
        help_text=_("Số liệu do hệ thống tạo để trình diễn, không phải số liệu thật."),
    )
    entered_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit", excluded_fields=["entered_at"])

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "family", "indicator_code"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["family", "year"], name="indicator_value_family_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.indicator_code}"


def evidence_path(instance: Evidence, filename: str) -> str:
    value = instance.value
    return f"evidence/{value.year}/{value.unit.code}/{value.indicator_code}/{filename}"


class Evidence(models.Model):
    """A file behind a value (minutes, photos, decisions); stored outside the web root."""

    value = models.ForeignKey(IndicatorValue, models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField(_("dung lượng"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    history = AuditedHistory(unit="value.unit")

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name


class Evaluation(models.Model):
    """The engine's result for a unit, year and set version, stored when inputs change."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("năm"))
    criteria_set = models.ForeignKey(
        "catalogue.CriteriaSet", models.PROTECT, related_name="evaluations"
    )
    met_count = models.PositiveSmallIntegerField(_("số tiêu chí đạt"))
    total = models.PositiveSmallIntegerField(_("tổng số tiêu chí"))
    missing_count = models.PositiveSmallIntegerField(_("số tiêu chí thiếu dữ liệu"), default=0)
    all_met = models.BooleanField(_("đạt tất cả tiêu chí"))
    effective_region = models.CharField(_("vùng áp dụng"), max_length=16, blank=True)
    region_reason = models.CharField(max_length=300, blank=True)
    result = models.JSONField(_("kết quả chi tiết"))
    # A hash of the result: a recompute rewrites only the rows whose result changed.
    digest = models.CharField(max_length=32, blank=True, default="", editable=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "criteria_set"], name="evaluation_unique"
            )
        ]
        indexes = [models.Index(fields=["criteria_set", "year"], name="evaluation_set_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.met_count}/{self.total}"


class CriterionResult(models.Model):
    """One criterion's verdict, as a row so matrices and totals are SQL aggregates."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="criterion_results")
    criterion_number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10)
    reason = models.TextField()
    is_key = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion_number"], name="criterion_result_unique"
            )
        ]
        indexes = [
            models.Index(fields=["criterion_number", "status"], name="criterion_result_status")
        ]

    def __str__(self) -> str:
        return f"TC{self.criterion_number}: {self.status}"


class Confirmation(models.Model):
    """The responsible agency's word on a criterion of a unit and year."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        RETURNED = "returned", _("Trả lại")

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="confirmations")
    year = models.PositiveSmallIntegerField(_("năm"))
    family = models.SlugField(_("họ bộ tiêu chí"), max_length=60)
    criterion_number = models.PositiveSmallIntegerField(_("tiêu chí số"))
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmations",
        verbose_name=_("cơ quan xác nhận"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        verbose_name = _("xác nhận tiêu chí")
        verbose_name_plural = _("xác nhận tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "family", "criterion_number"],
                name="confirmation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} TC{self.criterion_number}: {self.get_status_display()}"
