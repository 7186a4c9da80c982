"""Criteria sets as versioned law: set > criterion > indicator > threshold.

A set's content comes from a YAML file (catalogue/data/) or from a province's refinement made in
the UI; either way a version, once used by an evaluation, is never edited: a change makes a new
version, and evaluations keep the version they used.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Unit


class SetLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    HAMLET = "hamlet", _("Thôn, ấp")


class Tier(models.TextChoices):
    NTM = "ntm", _("Nông thôn mới")
    NANG_CAO = "nang_cao", _("Nông thôn mới nâng cao")
    KIEU_MAU = "kieu_mau", _("Nông thôn mới kiểu mẫu")
    HIEN_DAI = "hien_dai", _("Nông thôn mới hiện đại")
    HOAN_THANH = "hoan_thanh", _("Hoàn thành nhiệm vụ xây dựng nông thôn mới")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang áp dụng")
    SUPERSEDED = "superseded", _("Đã thay bằng phiên bản mới")


class CriteriaSet(models.Model):
    """One version of one criteria set (national, or a province's refinement of one)."""

    code = models.SlugField(_("mã bộ tiêu chí"), max_length=60)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=300)
    level = models.CharField(_("cấp"), max_length=10, choices=SetLevel.choices)
    tier = models.CharField(_("mức"), max_length=12, choices=Tier.choices)
    period_from = models.PositiveSmallIntegerField(_("từ năm"))
    period_to = models.PositiveSmallIntegerField(_("đến năm"))
    basis_number = models.CharField(_("số văn bản"), max_length=60)
    basis_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    basis_article = models.CharField(_("điều, phụ lục"), max_length=120, blank=True)
    basis_issuer = models.CharField(_("cơ quan ban hành"), max_length=120, blank=True)
    basis_note = models.TextField(_("ghi chú căn cứ"), blank=True)
    # The national family this set belongs to: values are entered once per family.
    family = models.SlugField(_("họ bộ tiêu chí"), max_length=60)
    refines = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="refinements",
        verbose_name=_("bộ tiêu chí được cụ thể hóa"),
    )
    province = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria_sets",
        verbose_name=_("tỉnh ban hành"),
        help_text=_("Trống: bộ tiêu chí quốc gia."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SetStatus.choices, default=SetStatus.ACTIVE
    )
    source_file = models.CharField(_("tệp nguồn"), max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # {"flags": [...], "region": "TDMNPB", "since": "2022-03-08", "source": "..."} per rule.
    region_overrides = models.JSONField(_("quy tắc áp dụng mức vùng"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    change_note = models.TextField(_("nội dung và căn cứ thay đổi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = AuditedHistory(unit="province")

    class Meta:
        ordering = ["family", "code", "-version"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="active"), name="criteria_set_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def basis(self) -> str:
        """ "QĐ 318/QĐ-TTg" as reasons cite it."""
        return f"QĐ {self.basis_number}" if "/QĐ-" in self.basis_number else self.basis_number

    @property
    def is_national(self) -> bool:
        return self.province_id is None

    def covers_year(self, year: int) -> bool:
        return self.period_from <= year <= self.period_to


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, models.CASCADE, related_name="criteria", verbose_name=_("bộ tiêu chí")
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên tiêu chí"), max_length=200)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)
    is_key = models.BooleanField(
        _("tiêu chí then chốt"),
        default=False,
        help_text=_("Dùng cho quy tắc thu hồi (QĐ 18/2022/QĐ-TTg)."),
    )
    min_met = models.PositiveSmallIntegerField(
        _("số chỉ tiêu tối thiểu phải đạt"),
        null=True,
        blank=True,
        help_text=_("Trống: mọi chỉ tiêu phải đạt."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["criteria_set", "number"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criterion_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndicatorKind(models.TextChoices):
    BOOLEAN = "boolean", _("Đạt / chưa đạt")
    PERCENT = "percent", _("Tỷ lệ (%)")
    NUMBER = "number", _("Số")
    AMOUNT = "amount", _("Số tiền")
    CATEGORY = "category", _("Phân loại")


class Indicator(models.Model):
    criterion = models.ForeignKey(
        Criterion, models.CASCADE, related_name="indicators", verbose_name=_("tiêu chí")
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    name = models.CharField(_("tên chỉ tiêu"), max_length=400)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=IndicatorKind.choices)
    categories = models.JSONField(_("các giá trị phân loại"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(
        _("ghi chú"),
        blank=True,
        help_text=_("Vd. ngưỡng chưa có trong tài liệu tham chiếu: đánh giá thủ công."),
    )
    name_verified = models.BooleanField(_("tên đã đối chiếu văn bản"), default=False)

    class Meta:
        ordering = ["criterion", "order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def judged_by_hand(self) -> bool:
        return not self.thresholds.exists()


class Threshold(models.Model):
    class Comparator(models.TextChoices):
        GE = ">=", "≥"
        GT = ">", ">"
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "=", "="
        NE = "!=", "≠"
        YES = "yes", _("Đạt")
        IN = "in", _("thuộc")

    class Status(models.TextChoices):
        VERIFIED = "verified", _("Đã đối chiếu văn bản")
        SECONDARY = "secondary", _("Theo nguồn thứ cấp")
        PROVINCIAL = "provincial", _("Do tỉnh quy định")

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="thresholds", verbose_name=_("chỉ tiêu")
    )
    comparator = models.CharField(_("so sánh"), max_length=4, choices=Comparator.choices)
    value = models.DecimalField(_("ngưỡng"), max_digits=18, decimal_places=4, null=True, blank=True)
    categories = models.JSONField(_("giá trị chấp nhận"), default=list, blank=True)
    region = models.CharField(_("vùng"), max_length=16, blank=True)
    commune_group = models.PositiveSmallIntegerField(_("nhóm xã"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=300)
    status = models.CharField(_("mức xác minh"), max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["indicator", "region", "commune_group", "year"]
        verbose_name = _("ngưỡng")
        verbose_name_plural = _("ngưỡng")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_comparator_display()} {self.value}"


class CriterionResponsibility(models.Model):
    """Which agency of a province answers for a criterion of a set family (set by decision)."""

    province = models.ForeignKey(
        Unit, models.CASCADE, related_name="criterion_responsibilities", verbose_name=_("tỉnh")
    )
    family = models.SlugField(_("họ bộ tiêu chí"), max_length=60)
    criterion_number = models.PositiveSmallIntegerField(_("tiêu chí số"))
    agency = models.ForeignKey(
        "places.Agency",
        models.PROTECT,
        related_name="criterion_responsibilities",
        verbose_name=_("cơ quan phụ trách"),
    )
    basis = models.CharField(_("căn cứ phân công"), max_length=300, blank=True)

    history = AuditedHistory(unit="province")

    class Meta:
        verbose_name = _("phân công phụ trách tiêu chí")
        verbose_name_plural = _("phân công phụ trách tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "family", "criterion_number"],
                name="criterion_responsibility_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family} TC{self.criterion_number}: {self.agency}"
