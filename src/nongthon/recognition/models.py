"""Titles (NTM, nâng cao, kiểu mẫu, hoàn thành nhiệm vụ) with the decisions behind them, the
application procedure of QĐ 18/2022/QĐ-TTg, and recorded revocations.

A title is never deleted: it ends (revoked, superseded, carried into a merged unit) with the
decision and the reason. Each title keeps a frozen copy of the evaluation it was judged on, so the
decision can be re-explained after the values change.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.catalogue.models import Tier
from nongthon.places.models import Unit


class DecisionKind(models.TextChoices):
    RECOGNITION = "recognition", _("Công nhận đạt chuẩn")
    REVOCATION = "revocation", _("Thu hồi quyết định công nhận")
    MERGER = "merger", _("Công nhận đơn vị sau sắp xếp")


class Decision(models.Model):
    """A signed decision (quyết định): one decision may recognise or revoke several units."""

    kind = models.CharField(_("loại quyết định"), max_length=12, choices=DecisionKind.choices)
    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=150)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=150)
    summary = models.TextField(_("trích yếu"), blank=True)
    province = models.ForeignKey(
        Unit, models.PROTECT, related_name="recognition_decisions", verbose_name=_("tỉnh")
    )
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="province")

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class TitleStatus(models.TextChoices):
    ACTIVE = "active", _("Đang giữ")
    REVOKED = "revoked", _("Đã thu hồi")
    SUPERSEDED = "superseded", _("Đã thay thế")
    MERGED = "merged", _("Chuyển sang đơn vị sau sắp xếp")


class Title(models.Model):
    """A unit's title at one tier, granted by a decision and ended by another (or a merger)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="titles", verbose_name=_("đơn vị"))
    tier = models.CharField(_("mức đạt chuẩn"), max_length=12, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    decision = models.ForeignKey(
        Decision, models.PROTECT, related_name="titles", verbose_name=_("quyết định công nhận")
    )
    criteria_set = models.ForeignKey(
        "catalogue.CriteriaSet",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("bộ tiêu chí xét công nhận"),
    )
    basis_note = models.CharField(
        _("ghi chú căn cứ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: công nhận theo bộ tiêu chí giai đoạn 2016-2020."),
    )
    # The evaluation at the decision date, frozen (see services.freeze_evaluation).
    snapshot = models.JSONField(_("kết quả đánh giá tại ngày quyết định"), null=True, blank=True)
    application = models.OneToOneField(
        "Application", models.SET_NULL, null=True, blank=True, related_name="title"
    )
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=TitleStatus.choices, default=TitleStatus.ACTIVE
    )
    ended_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    end_decision = models.ForeignKey(
        Decision,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_titles",
        verbose_name=_("quyết định chấm dứt"),
    )
    end_reason = models.TextField(_("lý do chấm dứt"), blank=True)
    inherited_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="carried_into"
    )
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit", m2m_fields=[])

    class Meta:
        ordering = ["unit__code", "tier", "year"]
        verbose_name = _("danh hiệu đạt chuẩn")
        verbose_name_plural = _("danh hiệu đạt chuẩn")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tier"],
                condition=Q(status="active"),
                name="title_one_active_per_tier",
            )
        ]
        indexes = [models.Index(fields=["tier", "status"], name="title_tier_status")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_tier_display()} ({self.year})"

    def held_on(self, day: dt.date) -> bool:
        return self.decision.date <= day and (self.ended_on is None or self.ended_on > day)


class ApplicationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    DECIDED = "decided", _("Đã công nhận")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Application(models.Model):
    """A unit's registration for a tier and year, moving through the procedure's steps."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="recognition_applications", verbose_name=_("đơn vị")
    )
    tier = models.CharField(_("mức đề nghị"), max_length=12, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("năm xét"))
    procedure = models.SlugField(_("trình tự áp dụng"), max_length=60)
    criteria_set = models.ForeignKey(
        "catalogue.CriteriaSet",
        models.PROTECT,
        related_name="applications",
        verbose_name=_("bộ tiêu chí"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.IN_PROGRESS,
    )
    current_step = models.SlugField(_("bước hiện tại"), max_length=40)
    # Condition data recorded on the way (QĐ 18/2022 Art. 4), each with who and when.
    satisfaction_percent = models.DecimalField(
        _("tỷ lệ hài lòng (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    satisfaction_meets = models.BooleanField(_("hài lòng đáp ứng yêu cầu"), null=True, blank=True)
    satisfaction_note = models.CharField(_("căn cứ kết quả hài lòng"), max_length=300, blank=True)
    satisfaction_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    security_confirmed = models.BooleanField(_("xác nhận an ninh, trật tự"), null=True, blank=True)
    security_basis = models.CharField(_("căn cứ xác nhận an ninh"), max_length=300, blank=True)
    security_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    security_at = models.DateTimeField(null=True, blank=True)
    # Used only while the unit's works are not recorded in funding (eligibility.outstanding_debt).
    manual_debt = models.DecimalField(
        _("nợ đọng XDCB ghi nhận (triệu đồng)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
    )
    manual_debt_basis = models.CharField(_("căn cứ số nợ đọng"), max_length=300, blank=True)
    manual_debt_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    manual_debt_at = models.DateTimeField(null=True, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = _("hồ sơ đề nghị công nhận")
        verbose_name_plural = _("hồ sơ đề nghị công nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tier", "year"],
                condition=~Q(status="withdrawn"),
                name="application_one_open_per_tier_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_tier_display()} {self.year}"


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Chưa thực hiện")
    CURRENT = "current", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class ApplicationStep(models.Model):
    """One step of an application: who completed it, when, by which deadline."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="steps")
    code = models.SlugField(_("bước"), max_length=40)
    order = models.PositiveSmallIntegerField()
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Verified numbers some steps must record (public posting: times, days).
    posting_count = models.PositiveSmallIntegerField(_("số lần công khai"), null=True, blank=True)
    posting_days = models.PositiveSmallIntegerField(_("số ngày công khai"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="application.unit")

    class Meta:
        ordering = ["application", "order"]
        verbose_name = _("bước xét công nhận")
        verbose_name_plural = _("bước xét công nhận")
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="application_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.code}"


class ApplicationDocument(models.Model):
    """A document filed at a step (report, minutes, survey result): its reference, and a file."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="documents")
    step = models.SlugField(_("bước"), max_length=40)
    name = models.CharField(_("tên văn bản"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    added_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory(unit="application.unit")

    class Meta:
        ordering = ["application", "added_at"]
        verbose_name = _("văn bản hồ sơ")
        verbose_name_plural = _("văn bản hồ sơ")

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Đăng ký")
    STEP_DONE = "step_done", _("Hoàn thành bước")
    RETURNED = "returned", _("Trả lại")
    RESUBMITTED = "resubmitted", _("Nộp lại")
    CONDITION = "condition", _("Ghi nhận điều kiện")
    REFUSED = "refused", _("Từ chối quyết định")
    DECIDED = "decided", _("Quyết định công nhận")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")


class ApplicationEvent(models.Model):
    """The application's timeline as people read it: every action, return and refusal."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=12, choices=EventKind.choices)
    step = models.SlugField(_("bước"), max_length=40, blank=True)
    actor = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField(_("ngày"), default=dt.date.today)
    text = models.TextField(_("nội dung"), blank=True)

    history = AuditedHistory(unit="application.unit")

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"
