"""Administrative units with validity and lineage, hamlets, socio-economic regions, agencies.

A unit is identified by (edition, level, code), never by code alone: the 2025 list reuses old
codes with another meaning (31321 was Phường III of Vị Thanh, now Phường Vị Thanh).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory
from nongthon.places.text import clean_name, fold, search_words

LEGACY_LAST_DAY = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)


class Edition(models.TextChoices):
    """Which official list a unit belongs to."""

    PRE_2025 = "pre2025", _("Danh mục trước 01/07/2025 (3 cấp)")
    Y2025 = "2025", _("Danh mục từ 01/07/2025 (2 cấp)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitKind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


class Region(models.Model):
    """A socio-economic region as the NTM criteria name it (7 regions of QĐ 318/QĐ-TTg)."""

    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source = models.TextField(_("nguồn"), blank=True)
    history = AuditedHistory(unit=None)

    class Meta:
        ordering = ["order"]
        verbose_name = _("vùng kinh tế - xã hội")
        verbose_name_plural = _("vùng kinh tế - xã hội")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> UnitQuerySet:
        return self.valid_on(dt.date.today())

    def subtree(self, unit: Unit, include_self: bool = True) -> UnitQuerySet:
        """Every unit under `unit`: one indexed query on the denormalised ancestor columns."""
        below = {
            Level.PROVINCE: Q(province=unit),
            Level.DISTRICT: Q(district=unit),
            Level.COMMUNE: Q(pk__in=[]),
        }[Level(unit.level)]
        return self.filter(below | Q(pk=unit.pk)) if include_self else self.filter(below)

    def communes(self) -> UnitQuerySet:
        return self.filter(level=Level.COMMUNE)

    def search(self, text: str) -> UnitQuerySet:
        """Diacritic-insensitive search over names and codes ("vi thanh" finds "Vị Thanh")."""
        folded = fold(text)
        if not folded:
            return self
        if folded.isdigit():
            return self.filter(code__startswith=folded)
        # The whole phrase first ("vi thanh" must not bring "Vĩnh Thạnh"), then every word.
        phrase = self.filter(search_text__contains=folded)
        if phrase.exists():
            return phrase
        query = self
        for word in search_words(folded):
            query = query.filter(search_text__contains=word)
        return query


class Unit(models.Model):
    """A province, district or commune of one edition of the official list."""

    edition = models.CharField(_("danh mục"), max_length=8, choices=Edition.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    search_text = models.CharField(max_length=400, editable=False, db_index=False)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    # Denormalised ancestors so a subtree is one indexed filter, not a recursion.
    province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    district = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="provinces",
        verbose_name=_("vùng"),
    )
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area_km2 = models.DecimalField(
        _("diện tích (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()
    history = AuditedHistory(unit="self", excluded_fields=["search_text"])

    class Meta:
        ordering = ["edition", "code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "level", "code"], name="unit_code_unique_in_edition"
            )
        ]
        indexes = [
            models.Index(fields=["level", "edition"], name="unit_level_edition"),
            models.Index(fields=["code"], name="unit_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Names in NFC, the folded search text and the ancestor columns from the parent."""
        self.name = clean_name(self.name)
        self.short_name = clean_name(self.short_name)
        self.search_text = f"{fold(self.name)} | {fold(self.short_name)} | {self.code}"
        parent = self.parent
        if parent is None:
            self.province = None
            self.district = None
        elif parent.level == Level.PROVINCE:
            self.province, self.district = parent, None
        else:
            self.province_id, self.district = parent.province_id, parent

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= dt.date.today()

    @property
    def label_with_validity(self) -> str:
        end = f" – {self.valid_to:%d/%m/%Y}" if self.valid_to else ""
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        return f"{self.name} ({self.code}, {start}{end})"

    def ancestors(self) -> list[Unit]:
        return [u for u in (self.province, self.district) if u is not None and u.pk != self.pk]

    def effective_region(self) -> Region | None:
        """The province's region (the commune-level override of QĐ 318 Art. 1 is per year)."""
        province = self if self.level == Level.PROVINCE else self.province
        return province.region if province else None


class Succession(models.Model):
    """One old unit's share in one new unit (the 2025 reform, or a later merge or split)."""

    class Kind(models.TextChoices):
        WHOLE = "whole", _("Nhập toàn bộ")
        PARTIAL = "partial", _("Nhập một phần")

    predecessor = models.ForeignKey(
        Unit, models.CASCADE, related_name="successions_out", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Unit, models.CASCADE, related_name="successions_in", verbose_name=_("đơn vị mới")
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices)
    is_default = models.BooleanField(
        _("đơn vị mới chính"),
        default=False,
        help_text=_(
            "Khi xã cũ chia về nhiều xã mới: xã mới nhận phần lớn (theo dữ liệu chuyển đổi)."
        ),
    )
    effective_date = models.DateField(_("ngày hiệu lực"), default=REFORM_DAY)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_pair_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class HamletKind(models.TextChoices):
    """Umbrella terms of TT 04/2012/TT-BNV: thôn under a xã, tổ dân phố under a phường/thị trấn."""

    THON = "thon", _("Thôn")
    AP = "ap", _("Ấp")
    BAN = "ban", _("Bản")
    BUON = "buon", _("Buôn")
    LANG = "lang", _("Làng")
    XOM = "xom", _("Xóm")
    PHUM_SOC = "phum_soc", _("Phum, sóc")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    KHU_PHO = "khu_pho", _("Khu phố")
    KHOM = "khom", _("Khóm")
    KHU_VUC = "khu_vuc", _("Khu vực")
    OTHER = "other", _("Khác")


class HamletQuerySet(models.QuerySet["Hamlet"]):
    def active(self) -> HamletQuerySet:
        return self.filter(retired_on__isnull=True)


class Hamlet(models.Model):
    """A thôn/ấp/bản/tổ dân phố: not in any official list, kept by the commune itself."""

    commune = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="hamlets",
        verbose_name=_("xã"),
        limit_choices_to={"level": Level.COMMUNE},
    )
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=HamletKind.choices)
    search_text = models.CharField(max_length=200, editable=False)
    retired_on = models.DateField(_("ngày thôi sử dụng"), null=True, blank=True)
    retired_reason = models.CharField(_("lý do"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HamletQuerySet.as_manager()
    history = AuditedHistory(
        unit="commune", excluded_fields=["search_text", "updated_at", "created_at"]
    )

    class Meta:
        ordering = ["commune", "name"]
        verbose_name = _("thôn, ấp, tổ dân phố")
        verbose_name_plural = _("thôn, ấp, tổ dân phố")
        constraints = [
            models.UniqueConstraint(
                "commune",
                "search_text",
                condition=Q(retired_on__isnull=True),
                name="hamlet_active_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = clean_name(self.name)
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    COORDINATION = "coordination", _("Văn phòng Điều phối nông thôn mới")
    FRONT = "front", _("Mặt trận Tổ quốc, đoàn thể")
    SECURITY = "security", _("Công an, quân sự")
    STATISTICS = "statistics", _("Cơ quan thống kê")
    DISTRICT_OFFICE = "district_office", _("Phòng, ban cấp huyện")
    PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
    OTHER = "other", _("Khác")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: dt.date) -> AgencyQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> AgencyQuerySet:
        return self.valid_on(dt.date.today())


class Agency(models.Model):
    """A body that owns criteria and tasks in a unit (Sở Y tế, Phòng NN&PTNT, UBND xã...)."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="agencies", verbose_name=_("đơn vị")
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    succeeded_by = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("cơ quan kế thừa"),
    )
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AgencyQuerySet.as_manager()
    history = AuditedHistory(unit="unit")

    class Meta:
        ordering = ["unit", "kind", "name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="agency_code_unique_in_unit")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= dt.date.today()


class ProvinceStamp(models.Model):
    """When a province's stored results last changed by a write that leaves no audit entry
    (evaluations rewritten in bulk by a recomputation). With the audit log's latest entry of
    the province, it tells a cached dashboard whether it is still current."""

    province = models.OneToOneField(
        Unit, models.CASCADE, primary_key=True, related_name="+", verbose_name=_("tỉnh")
    )
    changed_at = models.DateTimeField(_("thay đổi lúc"))

    class Meta:
        verbose_name = _("mốc thay đổi của tỉnh")
        verbose_name_plural = _("mốc thay đổi của tỉnh")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.changed_at:%d/%m/%Y %H:%M:%S}"
