"""OCOP: producers (chủ thể), products, score sheets (versioned data), councils, evaluation
rounds, evaluations with each member's sheet, certificates and their reminders."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.models import Unit


class ProducerKind(models.TextChoices):
    # QĐ 26/2026 Điều 2.3 [V]; hội/hiệp hội/trung tâm điều hành for tourism only.
    HTX = "htx", _("Hợp tác xã")
    THT = "tht", _("Tổ hợp tác")
    DN = "dn", _("Doanh nghiệp nhỏ và vừa")
    TRANG_TRAI = "trang_trai", _("Trang trại")
    HO = "ho", _("Hộ sản xuất, hộ gia đình có đăng ký kinh doanh")
    HOI = "hoi", _("Hội, hiệp hội, trung tâm điều hành (du lịch)")


class Producer(models.Model):
    name = models.CharField(_("tên chủ thể"), max_length=200)
    kind = models.CharField(_("loại hình"), max_length=16, choices=ProducerKind.choices)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    commune = models.ForeignKey(
        Unit, models.PROTECT, related_name="ocop_producers", verbose_name=_("xã")
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    contacts_public = models.BooleanField(_("công khai liên hệ"), default=False)
    legal_status = models.CharField(_("tình trạng pháp lý"), max_length=200, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="ocop_producers"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="commune", m2m_fields=[])

    class Meta:
        ordering = ["name"]
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The OCOP cycle (QĐ 490/2018, ocop.md §6.1)."""

    IDEA = "idea", _("Đã đăng ký ý tưởng")
    PLAN = "plan", _("Phương án kinh doanh được duyệt")
    PRODUCTION = "production", _("Đang sản xuất")
    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    EVALUATED = "evaluated", _("Đã đánh giá")
    CERTIFIED = "certified", _("Đã công nhận")
    PROMOTED = "promoted", _("Xúc tiến thương mại")


class Product(models.Model):
    producer = models.ForeignKey(
        Producer, models.PROTECT, related_name="products", verbose_name=_("chủ thể")
    )
    name = models.CharField(_("tên sản phẩm"), max_length=200)
    commune = models.ForeignKey(
        Unit, models.PROTECT, related_name="ocop_products", verbose_name=_("xã")
    )
    rule = models.CharField(_("quy định phân loại"), max_length=20)
    sheet_number = models.PositiveSmallIntegerField(_("phân nhóm (số phiếu)"))
    industry = models.CharField(_("ngành"), max_length=120, editable=False)
    group = models.CharField(_("nhóm"), max_length=200, editable=False)
    subgroup = models.CharField(_("phân nhóm"), max_length=250, editable=False)
    description = models.TextField(_("mô tả"), blank=True)
    code = models.CharField(_("mã số sản phẩm"), max_length=40, blank=True)
    stage = models.CharField(_("giai đoạn chu trình"), max_length=16, choices=Stage.choices)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    search_text = models.CharField(max_length=600, editable=False, db_index=False)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="commune", excluded_fields=["search_text"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")

    def __str__(self) -> str:
        return self.name


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="ocop/photos/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory(unit="product.commune")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")

    def __str__(self) -> str:
        return self.original_name


class ScoreSheet(models.Model):
    """One sheet (phân nhóm) of one rule version; `content` is the YAML parsed. Each change
    raises `version` and is kept in history; evaluations snapshot the content they used."""

    rule = models.CharField(_("quy định"), max_length=20)
    number = models.PositiveSmallIntegerField(_("số phiếu"))
    name = models.CharField(_("tên phiếu"), max_length=250)
    industry = models.CharField(_("ngành"), max_length=120)
    group = models.CharField(_("nhóm"), max_length=200)
    subgroup = models.CharField(_("phân nhóm"), max_length=250)
    status = models.CharField(_("mức đầy đủ"), max_length=12)
    content = models.JSONField(_("nội dung"))
    text = models.TextField(_("tệp YAML"))
    reason = models.CharField(_("lý do thay đổi"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit=None)

    class Meta:
        ordering = ["rule", "number"]
        verbose_name = _("phiếu đánh giá OCOP")
        verbose_name_plural = _("phiếu đánh giá OCOP")
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="ocop_sheet_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CouncilLevel(models.TextChoices):
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Cấp trung ương")


class Council(models.Model):
    name = models.CharField(_("tên hội đồng"), max_length=250)
    level = models.CharField(_("cấp"), max_length=10, choices=CouncilLevel.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    decision = models.CharField(_("quyết định thành lập"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CouncilMember", related_name="ocop_councils"
    )
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("hội đồng OCOP")
        verbose_name_plural = _("hội đồng OCOP")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("chủ tịch hội đồng"), default=False)
    history = AuditedHistory(unit="council.unit")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="ocop_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council}"


class Round(models.Model):
    council = models.ForeignKey(Council, models.PROTECT, related_name="rounds")
    name = models.CharField(_("tên đợt"), max_length=200)
    evaluated_on = models.DateField(_("ngày đánh giá"))
    deadline = models.DateField(_("hạn hoàn thành"))
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="council.unit")

    class Meta:
        ordering = ["-evaluated_on", "name"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name


class EvaluationKind(models.TextChoices):
    FIRST = "first", _("Lần đầu")
    UPGRADE = "upgrade", _("Nâng hạng")
    REEVALUATION = "reevaluation", _("Đánh giá lại")


class Evaluation(models.Model):
    round = models.ForeignKey(Round, models.PROTECT, related_name="evaluations")
    product = models.ForeignKey(Product, models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("loại đăng ký"), max_length=16, choices=EvaluationKind.choices)
    rule = models.CharField(_("quy định"), max_length=20)
    sheet_number = models.PositiveSmallIntegerField()
    sheet_version = models.PositiveIntegerField()
    sheet_content = models.JSONField()
    finalized_at = models.DateTimeField(_("chốt kết quả lúc"), null=True, blank=True)
    total = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2, null=True)
    parts = models.JSONField(default=dict)
    band_star = models.PositiveSmallIntegerField(null=True)
    star = models.PositiveSmallIntegerField(_("hạng sao"), null=True)
    blockers = models.JSONField(default=list)
    sent_to_central_on = models.DateField(_("gửi trung ương ngày"), null=True, blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="product.commune")

    class Meta:
        ordering = ["-round__evaluated_on", "pk"]
        verbose_name = _("đánh giá sản phẩm")
        verbose_name_plural = _("đánh giá sản phẩm")
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="ocop_eval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.round}"


class MemberScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    points = models.JSONField(default=dict)  # leaf code → points as text ("2", "1.5")
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    submitted = models.BooleanField(default=False)
    comment = models.TextField(_("ý kiến của người đánh giá"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="evaluation.product.commune")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="ocop_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.evaluation}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRING = "expiring", _("Sắp hết hạn")
    EXPIRED = "expired", _("Hết hạn")
    REVOKED = "revoked", _("Đã thu hồi")
    SUPERSEDED = "superseded", _("Đã thay thế (nâng hạng)")


class Certificate(models.Model):
    product = models.ForeignKey(Product, models.PROTECT, related_name="certificates")
    evaluation = models.ForeignKey(
        Evaluation, models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    decision_no = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    level = models.CharField(_("cấp công nhận"), max_length=10, choices=CouncilLevel.choices)
    star = models.PositiveSmallIntegerField(_("hạng sao"))
    rule = models.CharField(_("quy định"), max_length=20)
    valid_until = models.DateField(_("hiệu lực đến"))
    superseded_by = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_no = models.CharField(_("số quyết định thu hồi"), max_length=60, blank=True)
    revocation_ground = models.CharField(_("căn cứ thu hồi"), max_length=4, blank=True)
    revocation_note = models.TextField(_("nội dung thu hồi"), blank=True)
    illustrative = models.BooleanField(_("dữ liệu minh họa"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AuditedHistory(unit="product.commune")

    class Meta:
        ordering = ["-decision_date", "pk"]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        indexes = [models.Index(fields=["valid_until"], name="ocop_cert_until")]

    def __str__(self) -> str:
        return f"{self.decision_no} ({self.star}★)"


class Reminder(models.Model):
    """A reminder that a certificate's re-evaluation window is open, to one recipient."""

    class Recipient(models.TextChoices):
        COMMUNE = "commune", _("UBND xã của chủ thể")
        OFFICE = "office", _("Văn phòng Điều phối tỉnh")

    certificate = models.ForeignKey(Certificate, models.CASCADE, related_name="reminders")
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    window_opens = models.DateField()
    window_closes = models.DateField()
    created_on = models.DateField()

    class Meta:
        ordering = ["window_closes", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "recipient", "window_opens"], name="ocop_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.unit}"
