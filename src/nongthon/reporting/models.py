"""A province's reporting schedule (its edited copy of the default rules, versioned), the
periods it opens (due dates fixed when opened), the reports units submit for them, the review
timeline, and the reminders already sent.

An accepted report keeps a JSON snapshot of everything it showed (form, figures, texts): pages
and exports of an accepted report read the snapshot, so later data changes never alter it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Agency, Unit
from nongthon.reporting import definitions as defs
from nongthon.reporting.periods import period_label


class Schedule(models.Model):
    """The rules a province applies: a copy of reporting/data/schedule.yaml, then edited."""

    province = models.OneToOneField(
        Unit, models.PROTECT, related_name="report_schedule", verbose_name=_("tỉnh")
    )
    rules = models.JSONField(_("quy định báo cáo"), default=list)
    adhoc_forms = models.JSONField(_("biểu mẫu báo cáo đột xuất"), default=list)
    change_note = models.CharField(_("lý do thay đổi"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedHistory(unit="province")

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")

    def __str__(self) -> str:
        return f"{self.province} (v{self.version})"

    def rule_list(self) -> list[defs.Rule]:
        return [defs.Rule.from_dict(r) for r in self.rules]

    def rule(self, code: str) -> defs.Rule:
        for r in self.rule_list():
            if r.code == code:
                return r
        raise KeyError(code)


ADHOC_RULE = "adhoc"


class ReportPeriod(models.Model):
    """One period of one rule in a province (or an ad-hoc request), with its deadline as it
    stood when the period was opened."""

    province = models.ForeignKey(
        Unit, models.PROTECT, related_name="report_periods", verbose_name=_("tỉnh")
    )
    rule_code = models.CharField(_("quy định"), max_length=40)
    form_code = models.CharField(_("biểu mẫu"), max_length=40)
    frequency = models.CharField(_("kỳ báo cáo"), max_length=12)
    submitters = models.CharField(_("đơn vị báo cáo"), max_length=12)
    unit_kinds = models.JSONField(_("loại đơn vị"), default=list, blank=True)
    recipient = models.CharField(_("nơi nhận"), max_length=40, default=defs.LEVEL_ABOVE)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số kỳ"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi"))
    title = models.CharField(_("tên báo cáo"), max_length=300)
    request_text = models.TextField(_("nội dung yêu cầu"), blank=True)
    schedule_version = models.PositiveIntegerField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory(unit="province")

    class Meta:
        ordering = ["deadline", "rule_code"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "rule_code", "year", "number"], name="report_period_unique"
            )
        ]
        indexes = [models.Index(fields=["province", "deadline"], name="report_period_due")]

    def __str__(self) -> str:
        return f"{self.title} – {self.label}"

    @property
    def is_adhoc(self) -> bool:
        return self.rule_code == ADHOC_RULE

    @property
    def label(self) -> str:
        if self.is_adhoc:
            return f"{self.title} ({self.deadline:%d/%m/%Y})"
        return period_label(self.frequency, self.year, self.number)

    @property
    def as_of(self) -> dt.date:
        """The day the figures are computed at: the deadline, or the period's end before it."""
        return min(self.deadline, self.end)

    @property
    def form(self) -> defs.FormDef:
        return defs.form(self.form_code)

    @property
    def submitters_label(self) -> str:
        return str(defs.SUBMITTER_LABELS.get(self.submitters, self.submitters))

    @property
    def frequency_label(self) -> str:
        return str(defs.FREQUENCY_LABELS.get(self.frequency, self.frequency))


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Submission(models.Model):
    """One unit's (or one department's) report for one period."""

    period = models.ForeignKey(
        ReportPeriod, models.PROTECT, related_name="submissions", verbose_name=_("kỳ báo cáo")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="report_submissions", verbose_name=_("đơn vị")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="report_submissions",
        verbose_name=_("cơ quan"),
    )
    # The unit's district, copied so counts per district read this table alone.
    district = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    figures = models.JSONField(_("số liệu từ hệ thống"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("lấy số liệu lúc"), null=True, blank=True)
    typed = models.JSONField(_("số liệu đơn vị nhập"), default=dict, blank=True)
    texts = models.JSONField(_("nội dung"), default=dict, blank=True)
    # Timeliness is judged by the first submission: a report returned for correction and sent
    # again keeps the day it first arrived.
    first_submitted_on = models.DateField(_("ngày gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_on = models.DateField(_("ngày chấp nhận"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("bản chốt"), null=True, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory(
        unit="unit", excluded_fields=["figures", "snapshot", "figures_at", "district"]
    )

    class Meta:
        ordering = ["period__deadline", "unit__code"]
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=Q(agency__isnull=True),
                name="report_submission_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["period", "agency"],
                condition=Q(agency__isnull=False),
                name="report_submission_agency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "first_submitted_on"], name="report_submission_when"),
            models.Index(fields=["period", "district"], name="report_submission_district"),
        ]

    def __str__(self) -> str:
        return f"{self.submitter_name} – {self.period}"

    def save(self, *args, **kwargs) -> None:
        self.district_id = self.unit.district_id
        super().save(*args, **kwargs)

    @property
    def submitter_name(self) -> str:
        return self.agency.name if self.agency_id else self.unit.name

    @property
    def is_frozen(self) -> bool:
        return self.status == Status.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class Event(models.Model):
    """The review timeline of a report: sent, returned with comments, accepted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi báo cáo")
        RETURNED = "returned", _("Trả lại")
        ACCEPTED = "accepted", _("Chấp nhận")

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=12, choices=Action.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("diễn biến báo cáo")
        verbose_name_plural = _("diễn biến báo cáo")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


class ReminderLog(models.Model):
    """A reminder already sent, so running the command again sends nothing twice."""

    period = models.ForeignKey(ReportPeriod, models.CASCADE, related_name="reminders")
    submitter_key = models.CharField(max_length=40)  # "u<unit id>" or "a<agency id>"
    kind = models.CharField(max_length=20)  # "before_7", "before_1", "overdue"
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "submitter_key", "kind"], name="report_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.submitter_key}/{self.kind}"
