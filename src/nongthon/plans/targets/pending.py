"""Target types declared here and computed by modules merged later (recognition, ocop, funding).

Each is a PendingType: targets of these codes can be entered, listed and printed now, and their
figure says which module computes it. The module implements the type by subclassing
plans.targets.base.TargetType with the SAME `code` and `params` (it may add optional params),
implementing compute(target, on) -> Figure (and status() if the default rule does not fit), and
calling base.register(instance) in its AppConfig.ready(). The registry replaces the pending type;
stored targets keep their code and params. What each figure means is in the docstrings below
and in docs/architecture.md ("Plans, targets and tasks").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from nongthon.plans.targets.base import (
    BOOL,
    CHOICE,
    DECIMAL,
    INT,
    TEXT,
    UNIT,
    UNITS,
    Param,
    PendingType,
    register,
)

TIERS = (
    ("ntm", gettext_lazy("Nông thôn mới")),
    ("nang_cao", gettext_lazy("Nông thôn mới nâng cao")),
    ("kieu_mau", gettext_lazy("Nông thôn mới kiểu mẫu")),
    ("hoan_thanh", gettext_lazy("Hoàn thành nhiệm vụ xây dựng nông thôn mới")),
)
LEVELS = (("commune", gettext_lazy("Cấp xã")), ("district", gettext_lazy("Cấp huyện")))
OCOP_LEVELS = (
    ("district", gettext_lazy("Cấp huyện")),
    ("province", gettext_lazy("Cấp tỉnh")),
    ("national", gettext_lazy("Cấp quốc gia")),
)
YEAR = Param("year", gettext_lazy("Năm"), INT, required=False)


class NamedUnitsRecognised(PendingType):
    """Named units recognised for a tier within the year. Figure: how many of `units` hold a
    recognition decision of `tier` dated in `year` and on or before the date; rows: each unit
    with its decision (number, date) or "chưa công nhận". Achieved when all are."""

    code = "recognition.named_units"
    family = "recognition"
    module = "recognition"
    label = gettext_lazy("Công nhận các đơn vị được nêu tên")
    description = gettext_lazy(
        "Ví dụ: Công nhận thêm 03 xã đạt chuẩn NTM: Phú Hữu, Phú Tân, Vị Bình"
    )
    params = (
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=LEVELS),
        Param("units", gettext_lazy("Các đơn vị được nêu tên"), UNITS),
        YEAR,
    )


class TitledCount(PendingType):
    """Units under the plan's unit holding the title of `tier` at the date (recognised on or
    before it, not revoked): a count ("nâng tổng số ... lên 12 xã") or a share ("ít nhất 50%").
    Rows: the titled units with their decisions."""

    code = "recognition.titled_count"
    family = "recognition"
    module = "recognition"
    label = gettext_lazy("Tổng số (tỷ lệ) đơn vị đạt chuẩn")
    description = gettext_lazy(
        "Ví dụ: nâng tổng số xã đạt chuẩn NTM nâng cao lên 12 xã; 38/51 xã (74,5%)"
    )
    params = (
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=LEVELS),
        Param("goal_count", gettext_lazy("Số đơn vị chỉ tiêu"), INT, required=False),
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        YEAR,
    )


class UnitTitle(PendingType):
    """One district or province reaching a title ("huyện Trà Cú đạt chuẩn NTM", "Thị xã Long Mỹ
    hoàn thành nhiệm vụ xây dựng NTM"). Figure: the decision, or "chưa công nhận"."""

    code = "recognition.unit_title"
    family = "recognition"
    module = "recognition"
    label = gettext_lazy("Huyện, tỉnh đạt chuẩn / hoàn thành nhiệm vụ")
    description = gettext_lazy("Ví dụ: Thị xã Long Mỹ hoàn thành nhiệm vụ xây dựng nông thôn mới")
    params = (
        Param("unit", gettext_lazy("Đơn vị"), UNIT, level="district"),
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        YEAR,
    )


class TitlesKept(PendingType):
    """Titles held at the plan's start still held at the date (none revoked): "Duy trì và nâng
    chất các đơn vị xã đạt chuẩn ...". Rows: revoked titles and failed maintenance checks."""

    code = "recognition.titles_kept"
    family = "recognition"
    module = "recognition"
    label = gettext_lazy("Duy trì các danh hiệu đã đạt")
    description = gettext_lazy("Ví dụ: Duy trì và nâng chất các xã đạt chuẩn NTM, NTM nâng cao")
    params = (Param("tiers", gettext_lazy("Các mức (cách nhau dấu phẩy)"), TEXT), YEAR)


class RatedPerDistrict(PendingType):
    """Each district-level unit under the plan's unit has at least `min_count` products rated
    in the year with stars in [star_min, star_max] by the council of `level`. Rows: districts
    with their count and products."""

    code = "ocop.rated_per_district"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: số sản phẩm được đánh giá, phân hạng của mỗi huyện")
    description = gettext_lazy("Ví dụ: mỗi huyện ít nhất 5 sản phẩm đạt 3 - 4 sao cấp huyện")
    params = (
        Param("min_count", gettext_lazy("Ít nhất (sản phẩm/huyện)"), INT),
        Param("max_count", gettext_lazy("Đến (sản phẩm/huyện)"), INT, required=False),
        Param("star_min", gettext_lazy("Từ số sao"), INT),
        Param("star_max", gettext_lazy("Đến số sao"), INT),
        Param("level", gettext_lazy("Cấp đánh giá"), CHOICE, choices=OCOP_LEVELS),
        YEAR,
    )


class StarCount(PendingType):
    """Products certified in the year at `level` with stars in [star_min, star_max]; goal
    `goal_count`. Rows: products with certificate number and date."""

    code = "ocop.star_count"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: số sản phẩm đạt số sao")
    description = gettext_lazy("Ví dụ: Công nhận ít nhất 8 sản phẩm đạt 4 sao cấp tỉnh")
    params = (
        Param("goal_count", gettext_lazy("Ít nhất (sản phẩm)"), INT),
        Param("star_min", gettext_lazy("Từ số sao"), INT),
        Param("star_max", gettext_lazy("Đến số sao"), INT),
        Param("level", gettext_lazy("Cấp công nhận"), CHOICE, choices=OCOP_LEVELS),
        YEAR,
    )


class UpgradedShare(PendingType):
    """Share of products holding `from_stars` at the year's start upgraded to `to_stars` in the
    year; without `goal_share`, every eligible product ("đủ điều kiện")."""

    code = "ocop.upgraded_share"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: tỷ lệ sản phẩm thăng hạng")
    description = gettext_lazy("Ví dụ: Thăng hạng ít nhất 25% sản phẩm OCOP từ 3 sao lên 4 sao")
    params = (
        Param("from_stars", gettext_lazy("Từ số sao"), INT),
        Param("to_stars", gettext_lazy("Lên số sao"), INT),
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=OCOP_LEVELS),
        YEAR,
    )


class Recertified(PendingType):
    """Certificates expiring in the year (validity per the OCOP rules in force) that were
    re-certified by the date; goal 100% unless `goal_share`."""

    code = "ocop.recertified"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: tái công nhận sản phẩm hết hạn chứng nhận")
    description = gettext_lazy(
        "Ví dụ: Tái công nhận sản phẩm OCOP hết thời gian chứng nhận (36 tháng)"
    )
    params = (
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        Param(
            "validity_months",
            gettext_lazy("Thời hạn chứng nhận (tháng), như kế hoạch ghi"),
            INT,
            required=False,
        ),
        YEAR,
    )


class Dossiers(PendingType):
    """Dossiers completed and sent to the council of `level` in the year (national, or province
    from each district when `per_district`)."""

    code = "ocop.dossiers"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: hồ sơ gửi đánh giá cấp trên")
    description = gettext_lazy(
        "Ví dụ: Hoàn thiện hồ sơ cho 3 sản phẩm đăng ký đánh giá cấp quốc gia"
    )
    params = (
        Param("level", gettext_lazy("Gửi cấp"), CHOICE, choices=OCOP_LEVELS),
        Param("goal_count", gettext_lazy("Số hồ sơ"), INT, required=False),
        Param("per_district", gettext_lazy("Mỗi huyện"), BOOL, required=False),
        YEAR,
    )


class KeyProducts(PendingType):
    """Named key products (by name as the plan writes it) developed: each has a product record
    at the date, rated or not; rows show the stars reached."""

    code = "ocop.key_products"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: phát triển các sản phẩm chủ lực được nêu tên")
    description = gettext_lazy(
        "Ví dụ: phát triển và hoàn thiện sản phẩm Bưởi da xanh, Mãng cầu xiêm"
    )
    params = (Param("products", gettext_lazy("Tên sản phẩm (cách nhau dấu phẩy)"), TEXT), YEAR)


class ProductsPerCommune(PendingType):
    """Each commune under the plan's unit has between `min_count` and `max_count` product
    ideas or products registered in the year."""

    code = "ocop.products_per_commune"
    family = "ocop"
    module = "ocop"
    label = gettext_lazy("OCOP: số sản phẩm (ý tưởng) của mỗi xã")
    description = gettext_lazy("Ví dụ: mỗi đơn vị cấp xã lựa chọn 1-2 sản phẩm đặc trưng")
    params = (
        Param("min_count", gettext_lazy("Ít nhất"), INT),
        Param("max_count", gettext_lazy("Nhiều nhất"), INT, required=False),
        YEAR,
    )


class FundsBySource(PendingType):
    """The plan's fund lines (FundLine, planned amounts) against allocations and disbursements
    by source for the plan's unit and years; `sources` limits to some FundSource codes. Rows:
    one per source: planned, allocated, disbursed, share."""

    code = "funding.by_source"
    family = "funding"
    module = "funding"
    label = gettext_lazy("Nguồn vốn theo nguồn (kế hoạch, phân bổ, giải ngân)")
    description = gettext_lazy(
        "Ví dụ: Vốn Trung ương hỗ trợ 101,903 tỷ đồng; vốn ngân sách địa phương ..."
    )
    params = (
        Param(
            "sources",
            gettext_lazy("Nguồn (mã, cách nhau dấu phẩy; trống: tất cả)"),
            TEXT,
            required=False,
        ),
        Param(
            "measure",
            gettext_lazy("Đo theo"),
            CHOICE,
            required=False,
            choices=(
                ("allocated", gettext_lazy("Phân bổ")),
                ("disbursed", gettext_lazy("Giải ngân")),
            ),
        ),
        YEAR,
    )


for _type in (
    NamedUnitsRecognised,
    TitledCount,
    UnitTitle,
    TitlesKept,
    RatedPerDistrict,
    StarCount,
    UpgradedShare,
    Recertified,
    Dossiers,
    KeyProducts,
    ProductsPerCommune,
    FundsBySource,
):
    register(_type())
