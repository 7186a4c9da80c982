"""Reads for pages, the public catalogue and the plans app (the OCOP targets' figures).

Statistics count certificates (a product "đạt n sao" is a product with a decision). Each
function takes the area (province or district unit) and returns plain numbers or rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from nongthon.accounts import permissions
from nongthon.ocop import certificates as cert_dates
from nongthon.ocop.models import (
    Certificate,
    CouncilLevel,
    Evaluation,
    Producer,
    Product,
    ScoreSheet,
)
from nongthon.ocop.rules import certificate_rules
from nongthon.places.models import Level, Unit
from nongthon.places.text import fold, search_words


def _in_area(area: Unit | None, prefix: str = "product__commune__") -> Q:
    if area is None:
        return Q()
    if area.level == Level.PROVINCE:
        return Q(**{f"{prefix}province": area})
    if area.level == Level.DISTRICT:
        return Q(**{f"{prefix}district": area})
    return Q(**{f"{prefix}pk": area.pk})


def certificates_in(area: Unit | None) -> QuerySet[Certificate]:
    return Certificate.objects.filter(_in_area(area)).select_related(
        "product__commune__district", "product__producer"
    )


def live_on(day: dt.date) -> Q:
    """Certificates in force on `day`: issued, not expired, not revoked, not replaced by then."""
    return (
        Q(decision_date__lte=day, valid_until__gte=day)
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        & (Q(superseded_by__isnull=True) | Q(superseded_by__decision_date__gt=day))
    )


# --- Figures for the plans' targets ----------------------------------------------------------


def count_by_star(area: Unit | None, *, day: dt.date | None = None) -> dict[int, int]:
    """Products holding a certificate in force on `day`, by star."""
    day = day or timezone.localdate()
    rows = certificates_in(area).filter(live_on(day)).values("star").annotate(n=Count("id"))
    return {row["star"]: row["n"] for row in rows}


def certified_on(
    area: Unit | None, day: dt.date, *, star: int | None = None
) -> QuerySet[Certificate]:
    """The certificates `count_by_star` counts: in force on `day`, optionally of one star."""
    query = certificates_in(area).filter(live_on(day))
    if star is not None:
        query = query.filter(star=star)
    return query


def count_by_group(area: Unit | None, *, day: dt.date | None = None) -> dict[str, int]:
    day = day or timezone.localdate()
    rows = (
        certificates_in(area).filter(live_on(day)).values("product__group").annotate(n=Count("id"))
    )
    return {row["product__group"]: row["n"] for row in rows}


def count_by_district(area: Unit | None, *, day: dt.date | None = None) -> dict[str, int]:
    day = day or timezone.localdate()
    rows = (
        certificates_in(area)
        .filter(live_on(day))
        .values("product__commune__district__name")
        .annotate(n=Count("id"))
    )
    return {row["product__commune__district__name"]: row["n"] for row in rows}


def recognised_in_year(
    area: Unit | None,
    year: int,
    *,
    stars: tuple[int, ...] = (3, 4, 5),
    level: str | None = None,
    district: Unit | None = None,
    until: dt.date | None = None,
) -> int:
    """Certificates decided in `year` (e.g. "công nhận ít nhất 40 sản phẩm 3–4 sao cấp tỉnh":
    stars=(3, 4), level="province"), optionally only those decided by `until`."""
    query = decided_in_year(district or area, year, stars=stars, level=level, until=until)
    return query.values("product").distinct().count()


def decided_in_year(
    area: Unit | None,
    year: int,
    *,
    stars: tuple[int, ...] = (3, 4, 5),
    level: str | None = None,
    until: dt.date | None = None,
) -> QuerySet[Certificate]:
    """The certificates `recognised_in_year` counts, oldest first (the list behind a figure)."""
    query = certificates_in(area).filter(decision_date__year=year, star__in=stars)
    if level:
        query = query.filter(level=level)
    if until is not None:
        query = query.filter(decision_date__lte=until)
    return query.order_by("decision_date", "product__name", "pk")


def districts_of(area: Unit) -> list[Unit]:
    """The district-level units a per-district target counts: the province's, or the district."""
    if area.level == Level.DISTRICT:
        return [area]
    return list(Unit.objects.filter(level=Level.DISTRICT, province=area).order_by("code"))


def decided_by_district(
    area: Unit,
    year: int,
    *,
    stars: tuple[int, ...] = (3, 4),
    level: str | None = None,
    until: dt.date | None = None,
) -> list[tuple[Unit, list[Certificate]]]:
    """Per district (every one, with an empty list where none), the certificates decided in
    `year` in the star range, one per product: "mỗi huyện ít nhất 5 sản phẩm đạt 3 - 4 sao"."""
    found: dict[int, dict[int, Certificate]] = {}
    for cert in decided_in_year(area, year, stars=stars, level=level, until=until):
        found.setdefault(cert.product.commune.district_id, {}).setdefault(cert.product_id, cert)
    return [(d, list(found.get(d.pk, {}).values())) for d in districts_of(area)]


def count_by_year(area: Unit | None) -> dict[int, int]:
    rows = certificates_in(area).values("decision_date__year").annotate(n=Count("id"))
    return {row["decision_date__year"]: row["n"] for row in rows}


def per_district_in_year(
    area: Unit, year: int, *, stars: tuple[int, ...] = (3, 4), level: str | None = None
) -> dict[str, int]:
    """Per district, products recognised in `year` within a star range (every district listed,
    with 0 where none: a target "mỗi huyện ít nhất 5 sản phẩm" needs the zeros)."""
    counts = Counter(
        certificates_in(area)
        .filter(decision_date__year=year, star__in=stars, **({"level": level} if level else {}))
        .values_list("product__commune__district__name", flat=True)
    )
    districts = Unit.objects.filter(level=Level.DISTRICT, province=area).order_by("code")
    return {d.name: counts.get(d.name, 0) for d in districts}


def products_in_star_range(area: Unit | None, low: int, high: int, *, day=None) -> int:
    day = day or timezone.localdate()
    return (
        certificates_in(area)
        .filter(live_on(day), star__gte=low, star__lte=high)
        .values("product")
        .distinct()
        .count()
    )


def upgraded_share(area: Unit | None, year: int, *, from_star: int = 3, to_star: int = 4):
    """(upgraded, base, share): products holding `from_star` at the start of `year` that got a
    `to_star` certificate during the year ("thăng hạng ít nhất 25% sản phẩm 3 sao lên 4 sao")."""
    start = dt.date(year, 1, 1)
    base = set(
        certificates_in(area)
        .filter(live_on(start), star=from_star)
        .values_list("product_id", flat=True)
    )
    upgraded = set(
        certificates_in(area)
        .filter(decision_date__year=year, star=to_star, product_id__in=base)
        .values_list("product_id", flat=True)
    )
    share = (len(upgraded) / len(base)) if base else None
    return len(upgraded), len(base), share


def sent_to_central(area: Unit | None, year: int, *, until: dt.date | None = None) -> int:
    """Dossiers sent to the national level in `year` ("hoàn thiện hồ sơ cho n sản phẩm")."""
    return (
        dossiers(area, year, CouncilLevel.CENTRAL, until=until).values("product").distinct().count()
    )


def dossiers(
    area: Unit | None, year: int, level: str, *, until: dt.date | None = None
) -> QuerySet[Evaluation]:
    """Dossiers sent to the council of `level` in `year`: to the national level, those sent to
    the central council (`sent_to_central_on`); otherwise the evaluations of the rounds held by
    a council of that level in the year."""
    if level in (CouncilLevel.CENTRAL, "national"):
        query = Evaluation.objects.filter(_in_area(area), sent_to_central_on__year=year)
        if until is not None:
            query = query.filter(sent_to_central_on__lte=until)
    else:
        query = Evaluation.objects.filter(
            _in_area(area), round__council__level=level, round__evaluated_on__year=year
        )
        if until is not None:
            query = query.filter(round__evaluated_on__lte=until)
    return query.select_related("product__commune__district", "round").order_by(
        "product__commune__code", "product__name", "pk"
    )


def upgrade_list(
    area: Unit | None,
    year: int,
    *,
    from_star: int = 3,
    to_star: int = 4,
    level: str | None = None,
    until: dt.date | None = None,
) -> list[tuple[Certificate, Certificate | None, bool]]:
    """The products behind `upgraded_share`: (the `from_star` certificate held on 1 January,
    the `to_star` certificate of the year or None, eligible), eligible meaning a council rated
    the product `to_star` or more in the year ("sản phẩm đủ điều kiện lên 4 sao")."""
    start = dt.date(year, 1, 1)
    base = certificates_in(area).filter(live_on(start), star=from_star)
    if level:
        base = base.filter(level=level)
    upgraded = {
        c.product_id: c
        for c in decided_in_year(area, year, stars=(to_star,), level=level, until=until).filter(
            product_id__in=base.values("product_id")
        )
    }
    rated = Evaluation.objects.filter(
        product_id__in=base.values("product_id"), round__evaluated_on__year=year, star__gte=to_star
    )
    if until is not None:
        rated = rated.filter(round__evaluated_on__lte=until)
    eligible = set(rated.values_list("product_id", flat=True)) | set(upgraded)
    return [
        (c, upgraded.get(c.product_id), c.product_id in eligible)
        for c in base.order_by("product__commune__code", "product__name")
    ]


def expiring_in_year(area: Unit | None, year: int) -> QuerySet[Certificate]:
    """Certificates whose validity ends in `year` and that were still due to expire then (not
    revoked before, not replaced before the year began): the re-recognition target's list."""
    start = dt.date(year, 1, 1)
    return (
        certificates_in(area)
        .filter(valid_until__year=year)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=F("valid_until")))
        .filter(Q(superseded_by__isnull=True) | Q(superseded_by__decision_date__gte=start))
        .select_related("superseded_by")
        .order_by("valid_until", "product__name")
    )


def renewal_of(certificate: Certificate, day: dt.date) -> Certificate | None:
    """The product's next certificate decided by `day` (re-recognition or upgrade), if any."""
    return (
        Certificate.objects.filter(
            product_id=certificate.product_id,
            decision_date__gt=certificate.decision_date,
            decision_date__lte=day,
        )
        .order_by("decision_date", "pk")
        .first()
    )


def products_named(area: Unit | None, name: str, day: dt.date) -> list[Product]:
    """Products of the area whose name contains `name` (accents and case folded), registered
    by `day`: "phát triển sản phẩm Bưởi da xanh" finds "Bưởi da xanh" and "Bưởi da xanh sấy"."""
    wanted = fold(name)
    registered = registered_on(area)
    return [
        p
        for p in Product.objects.filter(_in_area(area, prefix="commune__"))
        .select_related("commune__district")
        .order_by("name", "pk")
        if wanted in fold(p.name) and registered.get(p.pk, day) <= day
    ]


def certificate_on(product: Product, day: dt.date) -> Certificate | None:
    """The product's latest certificate decided by `day` (the stars it had reached)."""
    return (
        product.certificates.filter(decision_date__lte=day)
        .order_by("-decision_date", "-pk")
        .first()
    )


def registered_on(area: Unit | None) -> dict[int, dt.date]:
    """{product id: the day it entered the programme}: the earliest of its record's creation,
    its first evaluation round and its first certificate (products recorded after the fact,
    as the demo's, carry their real history through the evaluations)."""
    products = Product.objects.filter(_in_area(area, prefix="commune__"))
    days: dict[int, dt.date] = {}

    def keep(pk: int, day: dt.date | None) -> None:
        if day is not None and (pk not in days or day < days[pk]):
            days[pk] = day

    for pk, created in Product.history.filter(
        history_type="+", id__in=products.values("pk")
    ).values_list("id", "history_date"):
        keep(pk, timezone.localdate(created))
    for pk, day in Evaluation.objects.filter(product__in=products).values_list(
        "product_id", "round__evaluated_on"
    ):
        keep(pk, day)
    for pk, day in Certificate.objects.filter(product__in=products).values_list(
        "product_id", "decision_date"
    ):
        keep(pk, day)
    return days


def products_by_commune(area: Unit, year: int, until: dt.date) -> list[tuple[Unit, list[Product]]]:
    """Per commune under `area` (every one), the products (ideas included) it registered in
    `year`, by `until`: "mỗi đơn vị cấp xã lựa chọn 1-2 sản phẩm"."""
    registered = registered_on(area)
    chosen: dict[int, list[Product]] = {}
    for product in Product.objects.filter(_in_area(area, prefix="commune__")).order_by("name"):
        day = registered.get(product.pk)
        if day is not None and day.year == year and day <= until:
            chosen.setdefault(product.commune_id, []).append(product)
    communes = Unit.objects.subtree(area).filter(level=Level.COMMUNE).order_by("code")
    return [(c, chosen.get(c.pk, [])) for c in communes]


def expiring_within(area: Unit | None, *, months: int = 6, day: dt.date | None = None):
    """Certificates in force that expire within `months` (re-evaluation due)."""
    day = day or timezone.localdate()
    until = cert_dates.add_months(day, months)
    return (
        certificates_in(area)
        .filter(live_on(day), valid_until__lte=until)
        .order_by("valid_until", "pk")
    )


def reevaluation_due(area: Unit | None, *, day: dt.date | None = None):
    """Certificates whose re-evaluation window (180–120 days before expiry) is open."""
    day = day or timezone.localdate()
    rules = certificate_rules()
    return (
        certificates_in(area)
        .filter(
            live_on(day),
            valid_until__gte=day + dt.timedelta(days=rules.window_closes_days_before),
            valid_until__lte=day + dt.timedelta(days=rules.window_opens_days_before),
        )
        .order_by("valid_until")
    )


# --- Internal lists -------------------------------------------------------------------------


def visible_products(user) -> QuerySet[Product]:
    """Products of the user's area, plus, for a producer account, its own producers'."""
    q = permissions.scope_filter(user, prefix="commune__", roles=permissions.OCOP_VIEWER_ROLES) | Q(
        producer__users=user
    )
    return (
        Product.objects.filter(q)
        .select_related("producer", "commune__district")
        .distinct()
        .order_by("commune__code", "name")
    )


def visible_producers(user) -> QuerySet[Producer]:
    q = permissions.scope_filter(user, prefix="commune__", roles=permissions.OCOP_VIEWER_ROLES) | Q(
        users=user
    )
    return Producer.objects.filter(q).distinct().order_by("name")


def council_units(user) -> QuerySet[Unit]:
    """Provinces and districts where the user may set up a council."""
    return (
        permissions.units_in_scope(user, roles=permissions.OCOP_DECISION_ROLES)
        .filter(level__in=[Level.PROVINCE, Level.DISTRICT])
        .order_by("edition", "code")
    )


def council_candidates(user):
    """Users holding the OCOP council role within the user's decision scope."""
    from nongthon.accounts.models import Role, User

    scope = permissions.scope_filter(
        user, prefix="memberships__unit__", roles=permissions.OCOP_DECISION_ROLES
    )
    return (
        User.objects.filter(scope, memberships__role=Role.OCOP_COUNCIL, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def sheets() -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.all()


# --- Public catalogue -----------------------------------------------------------------------


@dataclass
class PublicCertificate:
    star: int
    level: str
    decision_no: str
    decision_date: dt.date
    valid_until: dt.date
    status: str
    status_label: str


def current_certificate(product: Product) -> Certificate | None:
    """The certificate to show: the latest one not replaced by an upgrade."""
    return (
        product.certificates.filter(superseded_by__isnull=True)
        .order_by("-decision_date", "-pk")
        .first()
    )


def public_certificate(product: Product, day: dt.date | None = None) -> PublicCertificate | None:
    return _public(current_certificate(product), day)


def _public(cert: Certificate | None, day: dt.date | None) -> PublicCertificate | None:
    from nongthon.ocop.models import CertificateStatus

    if cert is None:
        return None
    status = cert_dates.status(cert, day or timezone.localdate())
    return PublicCertificate(
        star=cert.star,
        level=cert.get_level_display(),
        decision_no=cert.decision_no,
        decision_date=cert.decision_date,
        valid_until=cert.valid_until,
        status=status,
        status_label=str(CertificateStatus(status).label),
    )


def catalogue(
    *,
    text: str = "",
    star: int | None = None,
    group: str = "",
    district: Unit | None = None,
    commune: Unit | None = None,
) -> QuerySet[Product]:
    """Certified products (any certificate, even expired or revoked: the page marks it), with
    their shown certificate's star as `shown_star`."""
    latest = Certificate.objects.filter(product=OuterRef("pk"), superseded_by__isnull=True)
    query = Product.objects.filter(Exists(latest)).select_related("producer", "commune__district")
    if star:
        query = query.filter(Exists(latest.filter(star=star)))
    if group:
        query = query.filter(group=group)
    if commune is not None:
        query = query.filter(commune=commune)
    elif district is not None:
        query = query.filter(commune__district=district)
    for word in search_words(text):
        query = query.filter(search_text__contains=word)
    return query.order_by("name", "pk")


def catalogue_groups() -> list[str]:
    certified = Certificate.objects.filter(product=OuterRef("pk"))
    return sorted(
        set(
            Product.objects.filter(Exists(certified))
            .order_by()
            .values_list("group", flat=True)
            .distinct()
        )
    )


def catalogue_districts() -> QuerySet[Unit]:
    ids = Product.objects.filter(certificates__isnull=False).values("commune__district")
    return Unit.objects.filter(pk__in=ids).order_by("code")


def catalogue_communes(district: Unit | None) -> QuerySet[Unit]:
    ids = Product.objects.filter(certificates__isnull=False).values("commune")
    query = Unit.objects.filter(pk__in=ids)
    if district is not None:
        query = query.filter(district=district)
    return query.order_by("code")


def shown_certificates(products: list[Product], day: dt.date) -> dict[int, PublicCertificate]:
    """The shown certificate of each product of a page, in one query (as current_certificate)."""
    current: dict[int, Certificate] = {}
    for cert in Certificate.objects.filter(
        product__in=products, superseded_by__isnull=True
    ).order_by("product_id", "-decision_date", "-pk"):
        current.setdefault(cert.product_id, cert)
    return {p.pk: _public(current.get(p.pk), day) for p in products}


def province_level_evaluations(area: Unit | None) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(_in_area(area), round__council__level=CouncilLevel.PROVINCE)
