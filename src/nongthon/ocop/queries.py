"""Reads for pages, the public catalogue and the plans app (the OCOP targets' figures).

Statistics count certificates (a product "đạt n sao" is a product with a decision). Each
function takes the area (province or district unit) and returns plain numbers or rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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
from nongthon.places.text import fold


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
) -> int:
    """Certificates decided in `year` (e.g. "công nhận ít nhất 40 sản phẩm 3–4 sao cấp tỉnh":
    stars=(3, 4), level="province")."""
    query = certificates_in(district or area).filter(decision_date__year=year, star__in=stars)
    if level:
        query = query.filter(level=level)
    return query.values("product").distinct().count()


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


def sent_to_central(area: Unit | None, year: int) -> int:
    """Dossiers sent to the national level in `year` ("hoàn thiện hồ sơ cho n sản phẩm")."""
    return (
        Evaluation.objects.filter(_in_area(area), sent_to_central_on__year=year)
        .values("product")
        .distinct()
        .count()
    )


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
    from nongthon.ocop.models import CertificateStatus

    cert = current_certificate(product)
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
    folded = fold(text)
    for word in folded.split():
        query = query.filter(search_text__contains=word)
    return query.order_by("name", "pk")


def catalogue_groups() -> list[str]:
    return sorted(
        set(
            Product.objects.filter(certificates__isnull=False)
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
    return {p.pk: public_certificate(p, day) for p in products}


def province_level_evaluations(area: Unit | None) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(_in_area(area), round__council__level=CouncilLevel.PROVINCE)
