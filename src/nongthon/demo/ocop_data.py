"""Illustrative OCOP data for Hậu Giang (pre-2025 units), 2020–2024: producers, products per
district, councils, rounds, the members' scores, certificates, an upgrade wave, one revocation,
and dossiers sent to the national level.

Everything here is made up for the demo (marked `illustrative`, shown with the "Dữ liệu minh
họa" badge) except the two key products of Long Mỹ named in the district's 2020 plan (seed 004:
Bưởi da xanh, Mãng cầu xiêm). Counts are chosen so the targets of the 2022 and 2023 provincial
plans (seeds 001 and 000) have real figures, some met and some not.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.ocop import queries, services
from nongthon.ocop.models import Council, CouncilLevel, EvaluationKind, Producer, ProducerKind
from nongthon.places.models import Edition, Level, Unit, UnitKind

# (name, 1048 sheet number) per district code; 1048 sheets: 1 fresh produce, 3 rice,
# 4 honey, 7 processed fruit, 9 processed fish, 10 sauces, 13 tea-like, 15 liquor,
# 18 soft drinks, 22 other herbal (oils).
PRODUCTS: dict[str, list[tuple[str, int]]] = {
    "936": [  # Huyện Long Mỹ: key products of the 2020 plan first
        ("Bưởi da xanh", 1),
        ("Mãng cầu xiêm", 1),
        ("Mứt mãng cầu xiêm", 7),
        ("Trà mãng cầu", 13),
        ("Tinh dầu bưởi", 22),
        ("Cá thát lát rút xương", 9),
        ("Rượu nếp Long Mỹ", 15),
        ("Nước mãng cầu đóng chai", 18),
        ("Mật ong tràm", 4),
        ("Khô cá sặc", 9),
        ("Bưởi da xanh sấy dẻo", 7),
        ("Gạo thơm Long Mỹ", 3),
        ("Mãng cầu xiêm sấy", 7),
        ("Nấm rơm tươi", 1),
    ],
    "937": [
        ("Khô cá lóc", 9),
        ("Bưởi Năm Roi", 1),
        ("Rượu nếp than", 15),
        ("Mắm cá linh", 10),
        ("Lươn đồng làm sẵn", 9),
        ("Chanh không hạt", 1),
        ("Bánh tráng", 7),
        ("Trà khổ qua rừng", 13),
        ("Cá rô đồng một nắng", 9),
        ("Gạo ST24", 3),
        ("Mật ong hoa dừa", 4),
    ],
    "930": [
        ("Khóm Cầu Đúc", 1),
        ("Mứt khóm", 7),
        ("Nước ép khóm", 18),
        ("Bánh khóm", 7),
        ("Rượu khóm", 15),
        ("Khóm sấy dẻo", 7),
        ("Tương ớt khóm", 10),
        ("Gạo hữu cơ", 3),
        ("Trà mãng cầu Hỏa Tiến", 13),
        ("Khô cá lóc Vị Thanh", 9),
    ],
    "931": [
        ("Cá thát lát Ngã Bảy", 9),
        ("Mắm cá lóc", 10),
        ("Bánh tét lá cẩm", 7),
        ("Chả cá thát lát", 9),
        ("Rượu nếp Ngã Bảy", 15),
        ("Mật ong rừng", 4),
        ("Khô cá sặc rằn", 9),
    ],
    "932": [
        ("Gạo thơm Châu Thành A", 3),
        ("Nấm bào ngư", 1),
        ("Bánh phồng tôm", 7),
        ("Chuối sấy", 7),
        ("Rượu nếp", 15),
        ("Cam sành", 1),
        ("Nước mắm cá linh", 10),
        ("Mật ong hoa cà phê", 4),
        ("Tinh dầu sả", 22),
    ],
    "933": [
        ("Chanh không hạt Châu Thành", 1),
        ("Nước cốt chanh", 18),
        ("Gạo sạch Châu Thành", 3),
        ("Mứt chanh", 7),
        ("Mật ong", 4),
        ("Khô cá thát lát", 9),
        ("Trà chanh", 13),
    ],
    "934": [
        ("Khóm Phụng Hiệp", 1),
        ("Khô cá rô đồng", 9),
        ("Mật ong Phụng Hiệp", 4),
        ("Bún tươi", 7),
        ("Rượu Phụng Hiệp", 15),
        ("Mía sạch", 1),
        ("Nước mía đóng chai", 18),
        ("Lạp xưởng cá thát lát", 9),
        ("Gạo Phụng Hiệp", 3),
        ("Mắm cá sặc", 10),
    ],
    "935": [
        ("Cam xoàn Vị Thủy", 1),
        ("Lươn đồng Vị Thủy", 9),
        ("Khóm Vị Thủy", 1),
        ("Tinh dầu tràm", 22),
        ("Trà sả", 13),
        ("Gạo Vị Thủy", 3),
        ("Rượu nếp Vị Thủy", 15),
        ("Bưởi da xanh Vị Bình", 1),
    ],
}
# 1048 ngành → 148 group (one sheet per group under 148).
GROUP_148 = {
    "Thực phẩm": 1,
    "Đồ uống": 2,
    "Thảo dược": 3,
    "Lưu niệm – nội thất – trang trí": 4,
    "Vải và may mặc": 4,
}
KINDS = [ProducerKind.HTX, ProducerKind.THT, ProducerKind.HO, ProducerKind.DN]
KIND_WORD = {
    ProducerKind.HTX: "HTX",
    ProducerKind.THT: "Tổ hợp tác",
    ProducerKind.HO: "Hộ kinh doanh",
    ProducerKind.DN: "Công ty TNHH",
}
PERSONS = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Võ Văn Em"]


def _member(username: str, full_name: str, unit: Unit) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        from nongthon.demo.builder import DEMO_PASSWORD, demo_password_hash

        user = account_services.create_user(
            None,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            check_password=False,
            password_hash=demo_password_hash(),
        )
        account_services.grant_membership(None, user, unit, Role.OCOP_COUNCIL)
    return user


def _council(name: str, level: str, unit: Unit, users: list[User]) -> Council:
    return services.create_council(
        None,
        name=name,
        level=level,
        unit=unit,
        decision="(minh họa)",
        members=users,
        chair=users[0],
        illustrative=True,
    )


class Builder:
    """Runs the timeline; keeps each product's current certificate star."""

    def __init__(self, province: Unit, say: Callable[[str], None]) -> None:
        self.province, self.say = province, say
        self.rng = random.Random(93)
        self.rounds: dict[tuple[int, str], object] = {}

    def scores(self, evaluation, council: Council, target: Decimal) -> None:
        sheet = services.evaluation_sheet(evaluation)
        members = [m.user for m in council.memberships.select_related("user")]
        spreads = [Decimal(0), Decimal("1.5"), Decimal("-1.5")][: len(members)]
        per_member = {}
        for user, spread in zip(members, spreads, strict=False):
            total = min(Decimal(100), max(Decimal(0), target + spread))
            points, left = {}, total
            # Spread the member's total over the parts in proportion to their maxima.
            for i, leaf in enumerate(sheet.leaves):
                share = (
                    left
                    if i == len(sheet.leaves) - 1
                    else (total * leaf.max / 100).quantize(Decimal("0.5"))
                )
                share = min(leaf.max, share)
                points[leaf.code], left = share, left - share
            per_member[user] = points
        services.record_paper_scores(None, evaluation=evaluation, sheets=per_member)

    def evaluate(self, council, day, product, target, *, kind=EvaluationKind.FIRST):
        key = (council.pk, day.isoformat())
        round_ = self.rounds.get(key)
        if round_ is None:
            round_ = services.create_round(
                None,
                council=council,
                name=f"Đợt {day:%m/%Y} – {council.unit.short_name}",
                evaluated_on=day,
                deadline=day + dt.timedelta(days=30),
            )
            self.rounds[key] = round_
        sheet_number = None
        if day >= dt.date(2023, 2, 24) and product.rule == "qd1048-2019":
            sheet_number = GROUP_148.get(product.industry, 1)
        evaluation = services.add_to_round(
            None,
            round=round_,
            product=product,
            kind=kind,
            sheet_number=sheet_number,
            illustrative=True,
        )
        self.scores(evaluation, council, Decimal(target))
        return services.finalize(None, evaluation=evaluation)

    def certify(self, evaluation, number: str, day: dt.date):
        return services.issue_certificate(
            None, evaluation=evaluation, decision_no=number, decision_date=day, illustrative=True
        )


def build_ocop(say: Callable[[str], None]) -> None:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    if Producer.objects.filter(commune__province=province).exists():
        say("OCOP: dữ liệu minh họa đã có")
        return
    b = Builder(province, say)
    hoidong = User.objects.filter(username="ocop.hoidong").first()
    members = [hoidong] if hoidong else []
    members += [
        _member("hd.tinh.sonn", "Sở NN&PTNT (thành viên minh họa)", province),
        _member("hd.tinh.soct", "Sở Công Thương (thành viên minh họa)", province),
    ]
    provincial = _council("Hội đồng OCOP tỉnh Hậu Giang", CouncilLevel.PROVINCE, province, members)
    districts = {
        d.code: d
        for d in Unit.objects.filter(level=Level.DISTRICT, province=province).order_by("code")
    }
    central = _council(
        "Hội đồng OCOP trung ương (kết quả cho tỉnh Hậu Giang)",
        CouncilLevel.CENTRAL,
        province,
        [_member(f"hd.tw.{i}", f"Thành viên HĐ trung ương {i}", province) for i in (1, 2)],
    )
    district_councils = {
        code: _council(
            f"Hội đồng OCOP {d.name}",
            CouncilLevel.DISTRICT,
            d,
            [_member(f"hd.{code}.{i}", f"Thành viên HĐ {d.short_name} {i}", d) for i in (1, 2)],
        )
        for code, d in districts.items()
    }

    # Producers and products: one producer per product, in the district's communes in turn.
    products = []
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    for code, items in PRODUCTS.items():
        communes = list(
            Unit.objects.filter(district=districts[code], kind=UnitKind.XA).order_by("code")
        ) or list(Unit.objects.filter(district=districts[code]).order_by("code"))
        for i, (name, sheet) in enumerate(items):
            commune = vi_binh if name.endswith("Vị Bình") else communes[i % len(communes)]
            kind = KINDS[i % len(KINDS)]
            producer = services.save_producer(
                None,
                commune=commune,
                name=f"{KIND_WORD[kind]} {name} {commune.short_name}",
                kind=kind,
                tax_code=f"63{b.rng.randrange(10**7, 10**8)}",
                address=f"Ấp {1 + i % 4}, {commune.name}",
                representative=PERSONS[i % 5],
                phone=f"0292 3{b.rng.randrange(100000, 999999)}",
                contacts_public=(i % 3 == 0),
                legal_status="Đang hoạt động",
                illustrative=True,
            )
            product = services.save_product(
                None,
                producer=producer,
                name=name,
                commune=commune,
                rule="qd1048-2019",
                sheet_number=sheet,
                description=f"{name} – sản phẩm minh họa của {commune.name}.",
                stage="production",
                illustrative=True,
            )
            products.append((code, product))
    chu_the = User.objects.filter(username="ocop.chuthe").first()
    if chu_the:
        own = Producer.objects.get(products__name="Bưởi da xanh Vị Bình")
        services.link_producer_user(None, producer=own, user=chu_the)

    by_district: dict[str, list] = {}
    for code, product in products:
        by_district.setdefault(code, []).append(product)
    # Round robin over the districts, key products first, so every wave spans the province.
    ordered = []
    for rank in range(max(len(items) for items in by_district.values())):
        ordered += [by_district[code][rank] for code in PRODUCTS if rank < len(by_district[code])]
    certs: dict[int, object] = {}
    n = iter(range(1, 10_000))

    def number(day: dt.date, district: str | None = None) -> str:
        issuer = "UBND" if district is None else f"UBND-{district}"
        return f"{next(n)}/QĐ-{issuer} ({day.year})"

    # 2020 and 2021 (QĐ 1048): the province recognises 3–4 stars.
    first_wave = ordered[:12]
    second_wave = ordered[12:30]
    for day, cert_day, wave in (
        (dt.date(2020, 10, 15), dt.date(2020, 11, 5), first_wave),
        (dt.date(2021, 11, 10), dt.date(2021, 12, 1), second_wave),
    ):
        for i, product in enumerate(wave):
            target = 74 if i % 4 == 0 else 58 + (i % 9)
            ev = b.evaluate(provincial, day, product, target)
            certs[product.pk] = b.certify(ev, number(cert_day), cert_day)
    # 2022 (QĐ 1048): 34 recognised 3–4 stars (target 40: not met); 2 dossiers to the centre
    # (target 5: not met); 3 products below 3 stars.
    wave_2022 = ordered[30:67]
    potential: list = []
    for i, product in enumerate(wave_2022):
        day = dt.date(2022, 6, 20) if i % 2 else dt.date(2022, 11, 25)
        cert_day = day + dt.timedelta(days=20)
        if i in (5, 17, 29):
            target = 45
        elif i in (3, 11):
            target = 92
        else:
            target = 72 if i % 5 == 0 else 55 + i % 13
        ev = b.evaluate(provincial, day, product, target)
        if ev.star >= 5:
            # "Tiềm năng 5 sao": the province sends the dossier up; only the centre certifies 5.
            services.send_to_central(None, evaluation=ev, day=cert_day)
            potential.append(product)
        elif ev.star >= 3:
            certs[product.pk] = b.certify(ev, number(cert_day), cert_day)

    # 2023 (QĐ 148): districts recognise 3 stars, the province 4 stars.
    wave_2023 = ordered[67:]
    for product in wave_2023:
        code = product.commune.district.code
        ev = b.evaluate(
            district_councils[code], dt.date(2023, 6, 15), product, 52 + b.rng.randrange(0, 16)
        )
        if ev.star >= 3:
            certs[product.pk] = b.certify(
                ev, number(dt.date(2023, 7, 5), code), dt.date(2023, 7, 5)
            )
    # Upgrades 3 → 4 stars at the province (2023-09).
    threes = [p for p in ordered[:67] if p.pk in certs and certs[p.pk].star == 3]
    for product in threes[:9]:
        ev = b.evaluate(
            provincial,
            dt.date(2023, 9, 20),
            product,
            71 + b.rng.randrange(0, 8),
            kind=EvaluationKind.UPGRADE,
        )
        certs[product.pk] = b.certify(ev, number(dt.date(2023, 10, 10)), dt.date(2023, 10, 10))
    # Three dossiers to the centre in 2023 (target 3: met).
    for product in wave_2023[:3]:
        ev = b.evaluate(provincial, dt.date(2023, 11, 15), product, 91, kind=EvaluationKind.UPGRADE)
        services.send_to_central(None, evaluation=ev, day=dt.date(2023, 12, 1))
        potential.append(product)
    # The central council scores the potential 5-star products; ≥ 90 gives 5 stars.
    for i, product in enumerate(potential):
        day = dt.date(2023, 3, 20) if product in wave_2022 else dt.date(2024, 3, 20)
        kind = EvaluationKind.UPGRADE if product.pk in certs else EvaluationKind.FIRST
        ev = b.evaluate(central, day, product, 87 if i % 3 == 1 else 92, kind=kind)
        if ev.star == 5:
            certs[product.pk] = b.certify(
                ev, number(day + dt.timedelta(days=30), "BNN"), day + dt.timedelta(days=30)
            )

    def reevaluate(product, day: dt.date, target: int) -> None:
        # Under QĐ 148 until 05/7/2025 the district recognises 3 stars, the province 4.
        code = product.commune.district.code
        council = provincial if target >= 70 else district_councils[code]
        ev = b.evaluate(council, day, product, target, kind=EvaluationKind.REEVALUATION)
        if ev.star >= 3:
            certs[product.pk] = b.certify(
                ev, number(day + dt.timedelta(days=20), code), day + dt.timedelta(days=20)
            )

    # Re-evaluation of the 2020 certificates (36 months): decided 12/2023, so they expire in
    # 12/2026 — within months of today in the demo.
    for product in first_wave:
        if certs[product.pk].decision_date.year != 2020:  # upgraded since: not due
            continue
        reevaluate(product, dt.date(2023, 11, 28), 60 + b.rng.randrange(0, 14))
    # 2024: a few 2021 certificates re-evaluated, expiring 5/2027.
    for product in second_wave[:4]:
        if certs[product.pk].decision_date.year != 2021:
            continue
        reevaluate(product, dt.date(2024, 4, 20), 62 + b.rng.randrange(0, 10))
    # Spring 2026 (QĐ 148 as amended by QĐ 1489: the province recognises 3–4 stars): the
    # certificates of 2023 that expire in 2026 are re-evaluated, most of them in time.
    due = [
        p
        for p in ordered
        if p.pk in certs
        and certs[p.pk].decision_date.year == 2023
        and certs[p.pk].decision_date.month < 11
        and certs[p.pk].level != CouncilLevel.CENTRAL
    ]
    for i, product in enumerate(due):
        if i % 4 == 3:
            continue  # not re-evaluated: the certificate lapses
        ev = b.evaluate(
            provincial,
            dt.date(2026, 4, 15),
            product,
            58 + b.rng.randrange(0, 20),
            kind=EvaluationKind.REEVALUATION,
        )
        if ev.star >= 3:
            certs[product.pk] = b.certify(ev, number(dt.date(2026, 5, 5)), dt.date(2026, 5, 5))
    # One revocation: the producer stopped making the product (Điều 8.1 đ).
    victim = certs[wave_2022[7].pk]
    victim.refresh_from_db()
    services.revoke_certificate(
        None,
        certificate=victim,
        expected_version=victim.version,
        decision_no="88/QĐ-UBND (2024)",
        day=dt.date(2024, 8, 15),
        ground="dd",
        note="Chủ thể ngừng sản xuất (minh họa).",
    )
    # The reminder job, as if it had run every week since 2023.
    day = dt.date(2023, 1, 2)
    while day <= dt.date(2026, 11, 23):
        services.send_reminders(day)
        day += dt.timedelta(days=7)

    y22 = queries.recognised_in_year(province, 2022, stars=(3, 4), level="province")
    y23 = queries.recognised_in_year(province, 2023, stars=(4,), level="province")
    say(
        f"OCOP minh họa: {len(products)} sản phẩm; 2022: {y22} sản phẩm 3–4 sao cấp tỉnh, "
        f"{queries.sent_to_central(province, 2022)} hồ sơ trung ương; 2023: {y23} sản phẩm "
        f"4 sao cấp tỉnh, {queries.sent_to_central(province, 2023)} hồ sơ trung ương"
    )
