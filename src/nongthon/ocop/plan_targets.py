"""Plan target types computed from the OCOP records (registered in OcopConfig.ready()): products
rated per district, products reaching a star range, upgrades, re-recognition, dossiers, named
key products, products per commune. Every figure reads ocop/queries.py (which counts
certificates: "đạt n sao" is a product with a decision); a figure judged after the target's year
reads that year (decisions dated in it), judged during the year only what is decided by the date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.ocop import queries
from nongthon.ocop.models import Certificate, CouncilLevel, Product
from nongthon.plans.targets.base import (
    BOOL,
    CHOICE,
    DECIMAL,
    INT,
    TEXT,
    Figure,
    Param,
    Row,
    TargetType,
)
from nongthon.plans.targets.common import number, percent, target_year, unit_label

OCOP_LEVELS = (
    ("district", gettext_lazy("Cấp huyện")),
    ("province", gettext_lazy("Cấp tỉnh")),
    ("national", gettext_lazy("Cấp quốc gia")),
)
YEAR = Param("year", gettext_lazy("Năm"), INT, required=False)


def _council_level(level: str) -> str:
    # Plans say "cấp quốc gia"; the OCOP records call that council "central".
    return CouncilLevel.CENTRAL if level == "national" else level


def _level_label(level: str) -> str:
    return str(dict(OCOP_LEVELS).get(level, level))


def _stars(params) -> tuple[int, ...]:
    return tuple(range(int(params["star_min"]), int(params["star_max"]) + 1))


def _star_text(params) -> str:
    low, high = int(params["star_min"]), int(params["star_max"])
    return f"{low}★" if low == high else f"{low}–{high}★"


def _until(target, on: dt.date) -> tuple[int, dt.date]:
    year = target_year(target)
    return year, min(on, dt.date(year, 12, 31))


def _product_url(product: Product) -> str:
    return reverse("ocop:product", args=[product.pk])


ROW_FIELDS = (
    "product_id",
    "star",
    "level",
    "decision_no",
    "decision_date",
    "product__name",
    "product__illustrative",
    "product__commune__name",
    "product__commune__district__name",
)


def _cert_row(cert: Certificate, ok: bool | None = True, prefix: str = "") -> Row:
    return Row(
        prefix + f"{cert.product.name} ({unit_label(cert.product.commune)})",
        _("%(s)s sao %(l)s, QĐ %(n)s ngày %(d)s")
        % {
            "s": cert.star,
            "l": cert.get_level_display().lower(),
            "n": cert.decision_no,
            "d": cert.decision_date.strftime("%d/%m/%Y"),
        },
        ok,
        _product_url(cert.product),
    )


def _share_goal(params) -> Decimal:
    return Decimal(params["goal_share"]) if params.get("goal_share") is not None else Decimal(100)


class RatedPerDistrict(TargetType):
    """Each district-level unit under the plan's unit has at least `min_count` products rated
    in the year with stars in [star_min, star_max] by the council of `level`. Rows: districts
    with their count and products."""

    code = "ocop.rated_per_district"
    family = "ocop"
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

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year, until = _until(target, on)
        minimum = int(params["min_count"])
        per_district = queries.decided_by_district(
            target.plan.unit,
            year,
            stars=_stars(params),
            level=_council_level(params["level"]),
            until=until,
        )
        rows: list[Row] = []
        reached = 0
        for district, certs in per_district:
            ok = len(certs) >= minimum
            reached += ok
            rows.append(
                Row(
                    district.name,
                    _("%(n)s sản phẩm (chỉ tiêu ít nhất %(m)s)") % {"n": len(certs), "m": minimum},
                    ok,
                )
            )
            rows += [_cert_row(c, None, prefix="— ") for c in certs]
        total = len(per_district)
        products = sum(len(certs) for _d, certs in per_district)
        return Figure(
            shown=_(
                "%(r)s/%(t)s huyện có từ %(m)s sản phẩm %(s)s %(l)s năm %(y)s (tổng %(p)s sản phẩm)"
            )
            % {
                "r": reached,
                "t": total,
                "m": minimum,
                "s": _star_text(params),
                "l": _level_label(params["level"]).lower(),
                "y": year,
                "p": products,
            },
            value=Decimal(reached),
            goal=Decimal(total),
            achieved=total > 0 and reached == total,
            rows=rows,
            rows_title=_("Các huyện và sản phẩm được công nhận trong năm"),
            illustrative=any(c.product.illustrative for _d, cs in per_district for c in cs),
        )


class StarCount(TargetType):
    """Products certified in the year at `level` with stars in [star_min, star_max]; goal
    `goal_count`. Rows: products with certificate number and date."""

    code = "ocop.star_count"
    family = "ocop"
    label = gettext_lazy("OCOP: số sản phẩm đạt số sao")
    description = gettext_lazy("Ví dụ: Công nhận ít nhất 8 sản phẩm đạt 4 sao cấp tỉnh")
    params = (
        Param("goal_count", gettext_lazy("Ít nhất (sản phẩm)"), INT),
        Param("star_min", gettext_lazy("Từ số sao"), INT),
        Param("star_max", gettext_lazy("Đến số sao"), INT),
        Param("level", gettext_lazy("Cấp công nhận"), CHOICE, choices=OCOP_LEVELS),
        YEAR,
    )

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year, until = _until(target, on)
        area = target.plan.unit
        kwargs = {"stars": _stars(params), "level": _council_level(params["level"])}
        count = queries.recognised_in_year(area, year, until=until, **kwargs)
        certs: dict[int, Certificate] = {}
        listed = queries.decided_in_year(area, year, until=until, **kwargs)
        # A province's hundreds of rows: only what a row shows (no producer, no scores).
        listed = listed.select_related(None).select_related("product__commune__district")
        listed = listed.only(*ROW_FIELDS)
        for cert in listed:
            certs.setdefault(cert.product_id, cert)
        goal = int(params["goal_count"])
        return Figure(
            shown=_("%(n)s sản phẩm đạt %(s)s %(l)s năm %(y)s (chỉ tiêu %(g)s)")
            % {
                "n": count,
                "s": _star_text(params),
                "l": _level_label(params["level"]).lower(),
                "y": year,
                "g": goal,
            },
            value=Decimal(count),
            goal=Decimal(goal),
            achieved=count >= goal,
            rows=[_cert_row(c) for c in certs.values()],
            rows_title=_("Sản phẩm được công nhận trong năm"),
            illustrative=any(c.product.illustrative for c in certs.values()),
        )


class UpgradedShare(TargetType):
    """Share of products holding `from_stars` at the year's start upgraded to `to_stars` in the
    year; without `goal_share`, every eligible product ("đủ điều kiện": rated `to_stars` or more
    by a council in the year) must be."""

    code = "ocop.upgraded_share"
    family = "ocop"
    label = gettext_lazy("OCOP: tỷ lệ sản phẩm thăng hạng")
    description = gettext_lazy("Ví dụ: Thăng hạng ít nhất 25% sản phẩm OCOP từ 3 sao lên 4 sao")
    params = (
        Param("from_stars", gettext_lazy("Từ số sao"), INT),
        Param("to_stars", gettext_lazy("Lên số sao"), INT),
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=OCOP_LEVELS),
        YEAR,
    )

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year, until = _until(target, on)
        low, high = int(params["from_stars"]), int(params["to_stars"])
        listed = queries.upgrade_list(
            target.plan.unit,
            year,
            from_star=low,
            to_star=high,
            level=_council_level(params["level"]),
            until=until,
        )
        upgraded = sum(1 for _base, new, _e in listed if new is not None)
        rows = []
        for base, new, eligible in listed:
            if new is not None:
                rows.append(_cert_row(new))
            else:
                row = _cert_row(base, False if eligible else None)
                if eligible:
                    row.detail += " — " + _("đủ điều kiện, chưa thăng hạng")
                rows.append(row)
        if params.get("goal_share") is not None:
            whole = len(listed)
            goal = Decimal(params["goal_share"]) * whole / 100
            what = _("sản phẩm %(f)s★ đầu năm") % {"f": low}
        else:
            whole = sum(1 for _b, _n, e in listed if e)
            goal = Decimal(whole)
            what = _("sản phẩm đủ điều kiện")
        share = percent(upgraded, whole)
        if params.get("goal_share") is None:
            what += " " + _("(trong %(n)s sản phẩm %(f)s★ đầu năm)") % {"n": len(listed), "f": low}
        return Figure(
            shown=_("%(u)s/%(w)s %(what)s thăng hạng lên %(t)s★ (%(s)s%%; chỉ tiêu %(g)s%%)")
            % {
                "u": upgraded,
                "w": whole,
                "what": what,
                "t": high,
                "s": number(share),
                "g": number(_share_goal(params), 0),
            },
            value=Decimal(upgraded),
            goal=goal,
            achieved=whole > 0 and upgraded >= goal,
            rows=rows,
            rows_title=_("Sản phẩm %(f)s sao đầu năm %(y)s") % {"f": low, "y": year},
            illustrative=any(b.product.illustrative for b, _n, _e in listed),
            note=""
            if whole
            else _("Không có sản phẩm %(f)s sao nào đủ điều kiện trong năm.") % {"f": low},
        )


class Recertified(TargetType):
    """Certificates expiring in the year (validity per the OCOP rules in force) that were
    re-certified by the date; goal 100% unless `goal_share`."""

    code = "ocop.recertified"
    family = "ocop"
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

    def compute(self, target, on: dt.date) -> Figure:
        year, until = _until(target, on)
        expiring = list(queries.expiring_in_year(target.plan.unit, year))
        rows = []
        done = 0
        for cert in expiring:
            renewal = queries.renewal_of(cert, until)
            done += renewal is not None
            row = _cert_row(renewal or cert, renewal is not None)
            row.detail = _("hết hạn %(d)s; ") % {"d": cert.valid_until.strftime("%d/%m/%Y")} + (
                row.detail if renewal else _("chưa tái công nhận")
            )
            rows.append(row)
        goal_share = _share_goal(target.params)
        goal = goal_share * len(expiring) / 100
        return Figure(
            shown=_("%(d)s/%(n)s sản phẩm hết hạn chứng nhận năm %(y)s được tái công nhận")
            % {"d": done, "n": len(expiring), "y": year},
            value=Decimal(done),
            goal=goal,
            # Nothing expiring: nothing to re-recognise, the target holds.
            achieved=done >= goal,
            rows=rows,
            rows_title=_("Giấy chứng nhận hết hạn trong năm"),
            illustrative=any(c.product.illustrative for c in expiring),
            note=_("Thời hạn lấy theo từng giấy chứng nhận (quy định OCOP hiện hành)."),
        )


class Dossiers(TargetType):
    """Dossiers completed and sent to the council of `level` in the year (national, or province
    from each district when `per_district`)."""

    code = "ocop.dossiers"
    family = "ocop"
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

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year, until = _until(target, on)
        area = target.plan.unit
        level = _council_level(params["level"])
        sent = list(queries.dossiers(area, year, level, until=until))
        by_product = {e.product_id: e for e in sent}
        illustrative = any(e.illustrative for e in sent)
        level_text = _level_label(params["level"]).lower()
        if params.get("per_district"):
            minimum = int(params.get("goal_count") or 1)
            rows: list[Row] = []
            reached = 0
            districts = queries.districts_of(area)
            for district in districts:
                mine = [
                    e for e in by_product.values() if e.product.commune.district_id == district.pk
                ]
                ok = len(mine) >= minimum
                reached += ok
                rows.append(Row(district.name, _("%(n)s hồ sơ") % {"n": len(mine)}, ok))
                rows += [self._row(e, "— ") for e in mine]
            return Figure(
                shown=_("%(r)s/%(t)s huyện có hồ sơ gửi đánh giá %(l)s năm %(y)s")
                % {"r": reached, "t": len(districts), "l": level_text, "y": year},
                value=Decimal(reached),
                goal=Decimal(len(districts)),
                achieved=bool(districts) and reached == len(districts),
                rows=rows,
                rows_title=_("Hồ sơ theo huyện"),
                illustrative=illustrative,
            )
        count = len(by_product)
        goal = params.get("goal_count")
        return Figure(
            shown=_("%(n)s hồ sơ gửi đánh giá %(l)s năm %(y)s")
            % {"n": count, "l": level_text, "y": year}
            + (_(" (chỉ tiêu %(g)s)") % {"g": goal} if goal is not None else ""),
            value=Decimal(count),
            goal=Decimal(goal) if goal is not None else None,
            achieved=count >= int(goal) if goal is not None else (count > 0 or None),
            rows=[self._row(e) for e in by_product.values()],
            rows_title=_("Sản phẩm có hồ sơ"),
            illustrative=illustrative,
        )

    @staticmethod
    def _row(evaluation, prefix: str = "") -> Row:
        day = evaluation.sent_to_central_on or evaluation.round.evaluated_on
        return Row(
            prefix + f"{evaluation.product.name} ({unit_label(evaluation.product.commune)})",
            _("%(r)s, ngày %(d)s") % {"r": evaluation.round.name, "d": day.strftime("%d/%m/%Y")},
            True,
            _product_url(evaluation.product),
        )


class KeyProducts(TargetType):
    """Named key products (by name as the plan writes it) developed: each has a product record
    at the date, rated or not; rows show the stars reached."""

    code = "ocop.key_products"
    family = "ocop"
    label = gettext_lazy("OCOP: phát triển các sản phẩm chủ lực được nêu tên")
    description = gettext_lazy(
        "Ví dụ: phát triển và hoàn thiện sản phẩm Bưởi da xanh, Mãng cầu xiêm"
    )
    params = (Param("products", gettext_lazy("Tên sản phẩm (cách nhau dấu phẩy)"), TEXT), YEAR)

    def compute(self, target, on: dt.date) -> Figure:
        _year, until = _until(target, on)
        names = [n.strip() for n in target.params["products"].split(",") if n.strip()]
        rows = []
        found = 0
        illustrative = False
        for name in names:
            products = queries.products_named(target.plan.unit, name, until)
            found += bool(products)
            if not products:
                rows.append(Row(name, _("chưa có sản phẩm"), False))
            for product in products:
                illustrative |= product.illustrative
                cert = queries.certificate_on(product, until)
                detail = (
                    _("%(s)s sao (QĐ %(n)s)") % {"s": cert.star, "n": cert.decision_no}
                    if cert
                    else _("chưa đánh giá, phân hạng")
                )
                rows.append(
                    Row(
                        f"{name}: {product.name} ({unit_label(product.commune)})",
                        detail,
                        True,
                        _product_url(product),
                    )
                )
        return Figure(
            shown=_("%(f)s/%(n)s sản phẩm chủ lực đã có hồ sơ sản phẩm")
            % {"f": found, "n": len(names)},
            value=Decimal(found),
            goal=Decimal(len(names)),
            achieved=bool(names) and found == len(names),
            rows=rows,
            rows_title=_("Sản phẩm chủ lực và hạng sao đạt được"),
            illustrative=illustrative,
        )


class ProductsPerCommune(TargetType):
    """Each commune under the plan's unit has between `min_count` and `max_count` product
    ideas or products registered in the year (registered: the earliest of the record's
    creation, its first evaluation and its first certificate)."""

    code = "ocop.products_per_commune"
    family = "ocop"
    label = gettext_lazy("OCOP: số sản phẩm (ý tưởng) của mỗi xã")
    description = gettext_lazy("Ví dụ: mỗi đơn vị cấp xã lựa chọn 1-2 sản phẩm đặc trưng")
    params = (
        Param("min_count", gettext_lazy("Ít nhất"), INT),
        Param("max_count", gettext_lazy("Nhiều nhất"), INT, required=False),
        YEAR,
    )

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year, until = _until(target, on)
        low = int(params["min_count"])
        high = int(params["max_count"]) if params.get("max_count") is not None else None
        per_commune = queries.products_by_commune(target.plan.unit, year, until)
        rows = []
        reached = 0
        for commune, products in per_commune:
            n = len(products)
            ok = n >= low and (high is None or n <= high)
            reached += ok
            names = ", ".join(p.name for p in products) or "—"
            rows.append(
                Row(
                    unit_label(commune),
                    _("%(n)s sản phẩm: %(p)s") % {"n": n, "p": names},
                    ok,
                    _product_url(products[0]) if products else "",
                )
            )
        total = len(per_commune)
        wanted = f"{low}–{high}" if high is not None else f"≥{low}"
        return Figure(
            shown=_("%(r)s/%(t)s xã có %(w)s sản phẩm đăng ký năm %(y)s")
            % {"r": reached, "t": total, "w": wanted, "y": year},
            value=Decimal(reached),
            goal=Decimal(total),
            achieved=total > 0 and reached == total,
            rows=rows,
            rows_title=_("Sản phẩm đăng ký của từng xã"),
            illustrative=any(p.illustrative for _c, ps in per_commune for p in ps),
        )


TYPES = (
    RatedPerDistrict,
    StarCount,
    UpgradedShare,
    Recertified,
    Dossiers,
    KeyProducts,
    ProductsPerCommune,
)
