"""Plans (Kế hoạch) with their structured parts, typed targets, fund lines; directives; tasks
with deadlines as the documents write them, progress notes; hamlet and household statuses.

A target never stores its progress: its type (plans/targets/) computes the figure from data.
Only the free type keeps a figure typed by hand, with its evidence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Agency, Hamlet, Unit


class Plan(models.Model):
    """A plan as issued: header, bases, and the text parts between the targets and tasks."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành")
    )
    issuer_parent = models.CharField(
        _("cơ quan chủ quản"), max_length=200, blank=True, help_text=_("Ví dụ: UBND TỈNH HẬU GIANG")
    )
    body = models.CharField(
        _("cơ quan ban hành"),
        max_length=300,
        help_text=_("Ví dụ: Ban Chỉ đạo các chương trình mục tiêu quốc gia ..., Ủy ban nhân dân"),
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    title = models.CharField(_("trích yếu"), max_length=500)
    legal_bases = models.TextField(_("căn cứ"), blank=True, help_text=_("Mỗi căn cứ một dòng."))
    preamble = models.TextField(_("đoạn mở đầu"), blank=True)
    purposes = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    objectives = models.TextField(
        _("mục tiêu tổng quát"), blank=True, help_text=_("Đoạn văn trước các chỉ tiêu cụ thể.")
    )
    solutions_heading = models.CharField(
        _("tên mục nhiệm vụ và giải pháp"),
        max_length=200,
        blank=True,
        help_text=_("Trống: NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN"),
    )
    solutions = models.TextField(
        _("nhiệm vụ và giải pháp"), blank=True, help_text=_("Đoạn văn, mỗi ý một dòng.")
    )
    resources_heading = models.CharField(
        _("tên mục nguồn lực"), max_length=200, blank=True, help_text=_("Trống: DỰ KIẾN NGUỒN LỰC")
    )
    resources_intro = models.TextField(_("dẫn nhập nguồn lực"), blank=True)
    closing = models.TextField(_("đoạn kết"), blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi một dòng."))
    signing_authority = models.CharField(
        _("thẩm quyền ký"),
        max_length=200,
        blank=True,
        help_text=_("Các dòng trên chữ ký, ví dụ: TM. BAN CHỈ ĐẠO / KT. TRƯỞNG BAN"),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["-year_from", "unit__code", "title"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return self.title

    @property
    def start(self) -> dt.date:
        return self.issued_on or dt.date(self.year_from, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year_to, 12, 31)


class TargetKind(models.TextChoices):
    FIRM = "firm", _("Chỉ tiêu")
    STRETCH = "stretch", _("Phấn đấu")


class Target(models.Model):
    """One target sentence of a plan, typed: `type_code` names a registered target type and
    `params` holds that type's parameters (validated by the type)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    group = models.CharField(
        _("nhóm"), max_length=200, blank=True, help_text=_("Ví dụ: Về xây dựng nông thôn mới")
    )
    sentence = models.TextField(_("câu chỉ tiêu trong kế hoạch"))
    kind = models.CharField(
        _("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices, default=TargetKind.FIRM
    )
    type_code = models.CharField(_("kiểu chỉ tiêu"), max_length=60)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    due_on = models.DateField(
        _("hạn hoàn thành"), null=True, blank=True, help_text=_("Trống: hết năm cuối kế hoạch.")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # The free type only: the figure typed by hand and its evidence.
    manual_done = models.BooleanField(_("đã đạt (tự đánh giá)"), null=True, blank=True)
    manual_progress = models.DecimalField(
        _("tiến độ (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    manual_figure = models.CharField(_("kết quả"), max_length=300, blank=True)
    manual_evidence = models.TextField(_("minh chứng"), blank=True)
    manual_as_of = models.DateField(_("cập nhật đến ngày"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="plan.unit")

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return self.sentence[:80]

    @property
    def deadline(self) -> dt.date:
        return self.due_on or self.plan.end


class FundSource(models.TextChoices):
    """The sources the seed plans list under "Dự kiến nguồn lực"."""

    CENTRAL = "central", _("Vốn Trung ương hỗ trợ cho Chương trình")
    LOCAL = "local", _("Vốn ngân sách địa phương")
    INTEGRATED = "integrated", _("Vốn lồng ghép")
    CREDIT = "credit", _("Vốn tín dụng")
    ENTERPRISE = "enterprise", _("Vốn doanh nghiệp")
    PEOPLE = "people", _("Vốn huy động dân đóng góp")
    ENTERPRISE_PEOPLE = "enterprise_people", _("Vốn huy động doanh nghiệp và dân đóng góp")
    SOCIALISED = "socialised", _("Nguồn xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class MoneyUnit(models.TextChoices):
    MILLION = "million", _("triệu đồng")
    BILLION = "billion", _("tỷ đồng")


class FundLine(models.Model):
    """One expected source of funds, typed in as the plan prints it (funding takes over the
    allocations and disbursements when it lands)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="fund_lines")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("nguồn vốn"), max_length=20, choices=FundSource.choices)
    label = models.CharField(
        _("tên nguồn như kế hoạch ghi"),
        max_length=300,
        blank=True,
        help_text=_("Trống: tên chuẩn."),
    )
    amount = models.DecimalField(
        _("số tiền"), max_digits=18, decimal_places=3, null=True, blank=True
    )
    money_unit = models.CharField(
        _("đơn vị tính"), max_length=10, choices=MoneyUnit.choices, default=MoneyUnit.MILLION
    )
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="plan.unit")

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("nguồn vốn dự kiến")
        verbose_name_plural = _("nguồn vốn dự kiến")

    def __str__(self) -> str:
        return self.shown_label

    @property
    def shown_label(self) -> str:
        return self.label or str(self.get_source_display())

    @property
    def amount_shown(self) -> str:
        """The amount with the locale's separators, as printed: "101,903", "6.259.605"."""
        if self.amount is None:
            return "—"
        value = self.amount.normalize()
        if value.as_tuple().exponent > 0:
            value = value.quantize(Decimal(1))
        return formats.number_format(value, use_l10n=True, force_grouping=True)


class DirectiveKind(models.TextChoices):
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    OFFICIAL_LETTER = "letter", _("Công văn")
    DIRECTIVE = "directive", _("Chỉ thị")


class Directive(models.Model):
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="directives", verbose_name=_("đơn vị ban hành")
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DirectiveKind.choices)
    body = models.CharField(_("cơ quan ban hành"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("nội dung chính"), blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")

    def __str__(self) -> str:
        label = f"{self.get_kind_display()} {self.number}".strip()
        return f"{label}: {self.title}"


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày")
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    RECURRING = "recurring", _("Định kỳ")
    ONGOING = "ongoing", _("Thường xuyên")
    ON_EVENT = "on_event", _("Khi phát sinh")
    NONE = "none", _("Không ghi thời hạn")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Hủy bỏ")


class Task(models.Model):
    """A duty of a plan (section "Tổ chức thực hiện") or a directive, owned by a lead agency."""

    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="tasks")
    directive = models.ForeignKey(
        Directive, models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(_("TT"), default=0)
    section = models.CharField(
        _("mục"), max_length=300, blank=True, help_text=_("Ví dụ: 1. Văn phòng Điều phối ...")
    )
    content = models.TextField(_("nội dung thực hiện"))
    lead = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("cơ quan chủ trì"),
    )
    lead_text = models.CharField(
        _("chủ trì (như văn bản ghi)"),
        max_length=300,
        blank=True,
        help_text=_("Khi chủ trì là nhóm cơ quan: Các sở, ban, ngành tỉnh; UBND các huyện..."),
    )
    coordinators = models.ManyToManyField(
        Agency, blank=True, related_name="coordinated_tasks", verbose_name=_("cơ quan phối hợp")
    )
    coordinators_text = models.CharField(
        _("phối hợp (như văn bản ghi)"), max_length=500, blank=True
    )
    deadline_text = models.CharField(_("thời gian hoàn thành"), max_length=200, blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline = models.DateField(_("hạn"), null=True, blank=True)
    recurrence = models.JSONField(_("lịch định kỳ"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # A cancelled task keeps its day and reason (reopening clears them; history keeps them).
    cancelled_on = models.DateField(_("ngày hủy"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["plan", "directive", "order", "pk"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False) | models.Q(directive__isnull=False),
                name="task_has_a_source",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="task_status_deadline")]

    def __str__(self) -> str:
        return self.content[:80]

    @property
    def source(self) -> Plan | Directive:
        return self.plan if self.plan_id else self.directive

    @property
    def unit(self) -> Unit:
        return self.source.unit

    @property
    def owner_label(self) -> str:
        return self.lead.name if self.lead else self.lead_text


def progress_evidence_path(instance: ProgressNote, filename: str) -> str:
    return f"plans/tasks/{instance.task_id}/{filename}"


class ProgressNote(models.Model):
    """A report on a task: what was done, with evidence; may complete the task or one of its
    recurring occurrences (the period whose due date is `occurrence_due`)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="notes")
    written_on = models.DateField(_("ngày báo cáo"))
    text = models.TextField(_("nội dung"))
    evidence = models.FileField(
        _("minh chứng"), upload_to=progress_evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    completes = models.BooleanField(_("hoàn thành"), default=False)
    occurrence_due = models.DateField(_("kỳ (hạn của kỳ)"), null=True, blank=True)
    author = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory(unit="task.unit")

    class Meta:
        ordering = ["task", "written_on", "pk"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.task_id} {self.written_on}"


class StatusKind(models.Model):
    """A status a hamlet or a household may hold in a year ("Ấp văn hóa", "Hộ gia đình văn
    hóa"): a name and the decision that confers it; which exist is data (data/status_kinds.yaml)."""

    class Applies(models.TextChoices):
        HAMLET = "hamlet", _("Thôn, ấp")
        HOUSEHOLD = "household", _("Hộ gia đình")
        COMMUNE = "commune", _("Xã")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    applies_to = models.CharField(_("áp dụng cho"), max_length=10, choices=Applies.choices)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        ordering = ["applies_to", "name"]
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")

    def __str__(self) -> str:
        return self.name


class HamletStatus(models.Model):
    """Whether a hamlet holds a status in a year, from when, on which decision."""

    hamlet = models.ForeignKey(Hamlet, models.CASCADE, related_name="statuses")
    kind = models.ForeignKey(StatusKind, models.PROTECT, related_name="hamlet_records")
    year = models.PositiveSmallIntegerField(_("năm"))
    achieved = models.BooleanField(_("đạt"))
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="hamlet.commune")

    class Meta:
        verbose_name = _("danh hiệu thôn, ấp")
        verbose_name_plural = _("danh hiệu thôn, ấp")
        constraints = [
            models.UniqueConstraint(fields=["hamlet", "kind", "year"], name="hamlet_status_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hamlet} {self.kind} {self.year}"


class HouseholdStatus(models.Model):
    """Households of a commune holding a status in a year: a count out of a total (no list of
    households is kept), with the decision or report it comes from."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="household_statuses")
    kind = models.ForeignKey(StatusKind, models.PROTECT, related_name="household_records")
    year = models.PositiveSmallIntegerField(_("năm"))
    households = models.PositiveIntegerField(_("tổng số hộ"))
    achieved = models.PositiveIntegerField(_("số hộ đạt"))
    as_of = models.DateField(_("số liệu đến ngày"))
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="commune")

    class Meta:
        verbose_name = _("danh hiệu hộ gia đình")
        verbose_name_plural = _("danh hiệu hộ gia đình")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "year"], name="household_status_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(achieved__lte=models.F("households")),
                name="household_status_achieved_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.kind} {self.year}"


class CommuneStatus(models.Model):
    """Whether a commune holds a status in a year (e.g. its OCOP body set up), from when."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="commune_statuses")
    kind = models.ForeignKey(StatusKind, models.PROTECT, related_name="commune_records")
    year = models.PositiveSmallIntegerField(_("năm"))
    achieved = models.BooleanField(_("đạt"))
    recognised_on = models.DateField(_("ngày đạt"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="commune")

    class Meta:
        verbose_name = _("danh hiệu cấp xã")
        verbose_name_plural = _("danh hiệu cấp xã")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "year"], name="commune_status_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.kind} {self.year}"
