"""Funding by source per unit and year, works (công trình) with their money and progress, and
outstanding capital-construction debt (nợ đọng XDCB).

Every amount is a whole number of đồng in a DecimalField: never a float.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Unit

# 10^20 đồng is far beyond any programme (the 2026-2030 total is ~1,23·10^15 đồng).
AMOUNT_DIGITS = 20


def amount_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=AMOUNT_DIGITS, decimal_places=0, **kwargs)


class Nature(models.TextChoices):
    INVESTMENT = "investment", _("Vốn đầu tư phát triển")
    RECURRENT = "recurrent", _("Kinh phí sự nghiệp")


class FundingSource(models.Model):
    """A source as the plans name it, with its parts (loaded from funding/data/sources.yaml)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên nguồn vốn"), max_length=200)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="parts", verbose_name=_("thuộc")
    )
    nature = models.CharField(_("tính chất"), max_length=12, choices=Nature.choices, blank=True)
    aliases = models.JSONField(_("cách viết trong văn bản"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nguồn vốn")
        verbose_name_plural = _("nguồn vốn")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class LineKind(models.TextChoices):
    PLANNED = "planned", _("Dự kiến / nhu cầu")
    ALLOCATED = "allocated", _("Giao (phân bổ)")
    DISBURSED = "disbursed", _("Giải ngân")
    MOBILISED = "mobilised", _("Huy động")


class FundingLine(models.Model):
    """An amount of one source for a unit and year: planned, allocated, disbursed or mobilised.
    Allocations and disbursements through the year are several lines with their dates."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="funding_lines")
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.ForeignKey(FundingSource, models.PROTECT, verbose_name=_("nguồn vốn"))
    kind = models.CharField(_("loại số liệu"), max_length=10, choices=LineKind.choices)
    amount = amount_field(_("số tiền (đồng)"))
    on_date = models.DateField(_("ngày"), null=True, blank=True)
    written = models.CharField(_("số tiền như văn bản ghi"), max_length=80, blank=True)
    document = models.CharField(_("văn bản"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        verbose_name = _("dòng nguồn vốn")
        verbose_name_plural = _("dòng nguồn vốn")
        indexes = [models.Index(fields=["year", "kind"], name="funding_line_year_kind")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_line_amount")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.source.code} {self.kind}"


class StatedTotal(models.Model):
    """The total a document states (e.g. "6.259.605 triệu đồng"), kept to check the lines."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="stated_totals")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại số liệu"), max_length=10, choices=LineKind.choices)
    amount = amount_field(_("tổng số (đồng)"))
    written = models.CharField(_("tổng như văn bản ghi"), max_length=80, blank=True)
    document = models.CharField(_("văn bản"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        verbose_name = _("tổng số theo văn bản")
        verbose_name_plural = _("tổng số theo văn bản")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="stated_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.kind}: {self.amount}"


class Work(models.Model):
    """A công trình in a commune, serving a criterion (and indicator) of a criteria family."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="works", verbose_name=_("xã"))
    name = models.CharField(_("tên công trình"), max_length=250)
    family = models.SlugField(_("bộ tiêu chí"), max_length=60)
    criterion_number = models.PositiveSmallIntegerField(_("tiêu chí phục vụ"))
    indicator_code = models.CharField(_("chỉ tiêu phục vụ"), max_length=20, blank=True)
    investment_total = amount_field(_("tổng mức đầu tư (đồng)"))
    start_date = models.DateField(_("ngày khởi công"), null=True, blank=True)
    end_date = models.DateField(_("ngày hoàn thành dự kiến"), null=True, blank=True)
    finished_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    progress = models.DecimalField(
        _("tiến độ khối lượng (%)"), max_digits=5, decimal_places=2, default=0
    )
    note = models.TextField(_("ghi chú"), blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="commune")

    class Meta:
        verbose_name = _("công trình")
        verbose_name_plural = _("công trình")
        ordering = ["commune__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="work_progress_range"
            ),
            models.CheckConstraint(
                condition=models.Q(investment_total__gte=0), name="work_investment"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def finished(self) -> bool:
        return self.finished_on is not None


class WorkSource(models.Model):
    """How much of a work's investment one source carries."""

    work = models.ForeignKey(Work, models.CASCADE, related_name="sources")
    source = models.ForeignKey(FundingSource, models.PROTECT, verbose_name=_("nguồn vốn"))
    amount = amount_field(_("số tiền (đồng)"))
    history = AuditedHistory(unit="work.commune")

    class Meta:
        verbose_name = _("cơ cấu nguồn vốn công trình")
        verbose_name_plural = _("cơ cấu nguồn vốn công trình")
        constraints = [
            models.UniqueConstraint(fields=["work", "source"], name="work_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work}: {self.source}"


class Disbursement(models.Model):
    """Money paid out for a work on a date."""

    work = models.ForeignKey(Work, models.CASCADE, related_name="disbursements")
    on_date = models.DateField(_("ngày giải ngân"))
    amount = amount_field(_("số tiền (đồng)"))
    source = models.ForeignKey(
        FundingSource, models.PROTECT, null=True, blank=True, verbose_name=_("nguồn vốn")
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    history = AuditedHistory(unit="work.commune")

    class Meta:
        verbose_name = _("giải ngân công trình")
        verbose_name_plural = _("giải ngân công trình")
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.work} {self.on_date}: {self.amount}"


class Debt(models.Model):
    """Outstanding capital-construction debt (nợ đọng XDCB) of a work, from a year."""

    work = models.ForeignKey(Work, models.CASCADE, related_name="debts")
    amount = amount_field(_("số nợ (đồng)"))
    year_incurred = models.PositiveSmallIntegerField(_("năm phát sinh"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="work.commune")

    class Meta:
        verbose_name = _("nợ đọng XDCB")
        verbose_name_plural = _("nợ đọng XDCB")

    def __str__(self) -> str:
        return f"{self.work} {self.year_incurred}: {self.amount}"


class Repayment(models.Model):
    debt = models.ForeignKey(Debt, models.CASCADE, related_name="repayments")
    on_date = models.DateField(_("ngày trả"))
    amount = amount_field(_("số tiền (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    history = AuditedHistory(unit="debt.work.commune")

    class Meta:
        verbose_name = _("trả nợ")
        verbose_name_plural = _("trả nợ")
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.debt} {self.on_date}: {self.amount}"
