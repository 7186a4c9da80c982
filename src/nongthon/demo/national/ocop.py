"""Illustrative OCOP producers, products, evaluations and certificates for one province.

Products are spread over the province's communes; each is evaluated by the provincial council
in a yearly round (the rule in force on the round's date), certified for 36 months when it gets
3 stars or more (5 stars through the central council), and most products whose certificate
expired before today were re-evaluated in time, some upgraded. Member score sheets are not made
(the results are entered as the councils' totals).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from nongthon.bulk_insert import insert_rows, reserve_ids, update_rows
from nongthon.demo.national import shape
from nongthon.demo.national.assessment import rng_for
from nongthon.ocop.certificates import valid_until
from nongthon.ocop.models import (
    Certificate,
    Council,
    CouncilLevel,
    Evaluation,
    EvaluationKind,
    Producer,
    ProducerKind,
    Product,
    Round,
    ScoreSheet,
    Stage,
)
from nongthon.ocop.rules import rule_for, rule_version
from nongthon.places.models import Level, Unit
from nongthon.places.text import fold

# (words, QĐ 1048 sheet, QĐ 148 sheet): what a product is and how it is classified.
ARCHETYPES = [
    (("Bưởi da xanh", "Cam sành", "Khóm", "Xoài cát", "Nhãn", "Thanh long", "Rau an toàn"), 1, 1),
    (("Gạo thơm", "Gạo hữu cơ", "Gạo nếp"), 3, 1),
    (("Mật ong hoa nhãn", "Mật ong rừng"), 4, 1),
    (("Mứt dừa", "Xoài sấy dẻo", "Bánh tráng", "Bánh pía"), 7, 1),
    (("Khô cá lóc", "Chả cá", "Tôm khô", "Mực một nắng"), 9, 1),
    (("Nước mắm", "Tương ớt", "Mắm tôm"), 10, 1),
    (("Trà xanh", "Trà shan tuyết", "Trà atiso"), 13, 1),
    (("Rượu nếp", "Rượu cần"), 15, 2),
    (("Nước ép trái cây", "Nước cốt chanh"), 18, 2),
    (("Tinh dầu sả", "Tinh dầu tràm", "Cao dược liệu"), 22, 3),
]
KINDS = [ProducerKind.HTX, ProducerKind.THT, ProducerKind.HO, ProducerKind.DN]
KIND_WORD = {
    ProducerKind.HTX: "HTX",
    ProducerKind.THT: "Tổ hợp tác",
    ProducerKind.HO: "Hộ kinh doanh",
    ProducerKind.DN: "Công ty TNHH",
}
TODAY_LIMIT = dt.date(2026, 5, 21)  # rounds stop before QĐ 26/2026 (its sheets are partial)
PRODUCTS_PRE2025 = 20_000
PRODUCTS_2025 = 2_000


@dataclass
class Sheets:
    rows: dict[tuple[str, int], ScoreSheet]

    @classmethod
    def load(cls) -> Sheets:
        return cls({(s.rule, s.number): s for s in ScoreSheet.objects.all()})


class Writer:
    """Collects the province's rows, then writes each table once."""

    def __init__(self, province: Unit, sheets: Sheets) -> None:
        self.province, self.sheets = province, sheets
        self.councils: list[tuple] = []
        self.rounds: dict[tuple[int, dt.date], int] = {}
        self.round_rows: list[tuple] = []
        self.evaluations: list[tuple] = []
        self.certificates: list[tuple] = []
        self.council_ids = iter(reserve_ids(Council, 2))
        self.provincial = self._council(CouncilLevel.PROVINCE, f"Hội đồng OCOP {province.name}")
        self.central = self._council(
            CouncilLevel.CENTRAL, f"Hội đồng OCOP trung ương (kết quả cho {province.name})"
        )

    def _council(self, level: str, name: str) -> int:
        pk = next(self.council_ids)
        self.councils.append((pk, name, level, self.province.pk, "(minh họa)", True, 1))
        return pk

    def round_id(self, council: int, day: dt.date) -> int:
        key = (council, day)
        if key not in self.rounds:
            self.rounds[key] = len(self.round_rows)
            self.round_rows.append(
                [None, council, f"Đợt {day:%m/%Y} – {self.province.short_name}", day, day, 1]
            )
        return self.rounds[key]


def _sheet_number(rule: str, archetype: tuple) -> int:
    return archetype[1] if rule == "qd1048-2019" else archetype[2]


def build_ocop(province: Unit, seed: int, count: int, first_year: int = 2020) -> int:
    """`count` products in the province's communes; returns how many were made."""
    communes = list(
        Unit.objects.filter(province=province, level=Level.COMMUNE)
        .select_related("district")
        .order_by("code")
    )
    if not communes or count <= 0:
        return 0
    sheets = Sheets.load()
    w = Writer(province, sheets)
    rng = rng_for(seed, "ocop", province.edition, province.code)
    years = [y for y in shape.OCOP_YEAR_WEIGHTS if y >= first_year] or [first_year]
    weights = [shape.OCOP_YEAR_WEIGHTS.get(y, 1) for y in years]
    producer_ids = iter(reserve_ids(Producer, count))
    product_ids = reserve_ids(Product, count)
    producers, products = [], []
    plans = []  # (product index, list of (council, day, kind, star, score, certify))
    per_commune: dict[int, int] = {}
    now = dt.datetime.now(dt.UTC)
    for index, product_id in enumerate(product_ids):
        commune = communes[rng.randrange(len(communes))]
        words, *_sheets = archetype = ARCHETYPES[rng.randrange(len(ARCHETYPES))]
        kind = KINDS[index % len(KINDS)]
        name = f"{rng.choice(words)} {commune.short_name}"
        producer_id = next(producer_ids)
        producer_name = f"{KIND_WORD[kind]} {name}"
        producers.append(
            (
                producer_id,
                producer_name,
                kind,
                f"{province.code}{rng.randrange(10**7, 10**8)}",
                commune.pk,
                f"{commune.name}, {province.name}",
                "Người đại diện (minh họa)",
                f"0{rng.randrange(200, 300)} {rng.randrange(1000000, 9999999)}",
                "",
                index % 3 == 0,
                "Đang hoạt động",
                True,
                1,
            )
        )
        year = rng.choices(years, weights=weights)[0]
        day = dt.date(year, 4, 15) if year >= 2026 else dt.date(year, 10, 15)
        stars = shape.star(rng)
        if year >= 2026:
            stars = min(stars, 4)  # no central round in the future
        steps = [(w.provincial, day, EvaluationKind.FIRST, stars)]
        if stars == 5:
            steps.append((w.central, dt.date(year + 1, 3, 20), EvaluationKind.UPGRADE, 5))
        certified_on = steps[-1][1] + dt.timedelta(days=20)
        if stars >= 3:
            # Re-evaluated before expiry (most of them), sometimes one star up.
            until = valid_until(certified_on)
            again = until - dt.timedelta(days=150)
            if again <= TODAY_LIMIT and rng.random() < 0.75:
                up = stars + 1 if stars == 3 and rng.random() < 0.15 else stars
                council = w.central if up == 5 else w.provincial
                steps.append((council, again, EvaluationKind.REEVALUATION, up))
        rule = rule_for(steps[-1][1]).code
        sheet = _sheet_number(rule, archetype)
        row = sheets.rows[(rule, sheet)]
        per_commune[commune.pk] = per_commune.get(commune.pk, 0) + 1
        code_year = steps[-1][1].year
        if rule == "qd26-2026":
            code = f"{province.code}-{commune.code}-{per_commune[commune.pk]}-{code_year}"
        else:
            district = commune.district.code if commune.district_id else "000"
            code = (
                f"{province.code}-{district}-{commune.code}-{per_commune[commune.pk]}-{code_year}"
            )
        stage = Stage.CERTIFIED if stars >= 3 else Stage.EVALUATED
        search = fold(" | ".join([name, producer_name, row.subgroup, row.group, code]))[:600]
        products.append(
            (
                product_id,
                producer_id,
                name,
                commune.pk,
                rule,
                sheet,
                row.industry,
                row.group,
                row.subgroup,
                f"{name} – sản phẩm minh họa của {commune.name}.",
                code,
                stage,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                search,
                True,
                1,
            )
        )
        plans.append((product_id, archetype, steps))
    insert_rows(
        Producer,
        (
            "id",
            "name",
            "kind",
            "tax_code",
            "commune_id",
            "address",
            "representative",
            "phone",
            "email",
            "contacts_public",
            "legal_status",
            "illustrative",
            "version",
        ),
        producers,
    )
    insert_rows(
        Product,
        (
            "id",
            "producer_id",
            "name",
            "commune_id",
            "rule",
            "sheet_number",
            "industry",
            "group",
            "subgroup",
            "description",
            "code",
            "stage",
            "public_id",
            "search_text",
            "illustrative",
            "version",
        ),
        products,
    )
    insert_rows(
        Council,
        ("id", "name", "level", "unit_id", "decision", "illustrative", "version"),
        w.councils,
    )
    _evaluations(w, plans, rng, now)
    return len(products)


def _parts(rule: str, score: int) -> dict[str, str]:
    split = rule_version(rule).parts
    total = sum(split.values())
    parts = {
        k: (Decimal(score) * Decimal(v) / Decimal(total)).quantize(Decimal("0.5"))
        for k, v in split.items()
    }
    last = list(parts)[-1]
    parts[last] += Decimal(score) - sum(parts.values())
    return {k: str(v) for k, v in parts.items()}


def _evaluations(w: Writer, plans, rng, now) -> None:
    evaluation_rows, cert_rows = [], []
    for product_id, archetype, steps in plans:
        previous_cert = None
        for council, day, kind, stars in steps:
            rule = rule_for(day).code
            sheet = w.sheets.rows[(rule, _sheet_number(rule, archetype))]
            score = shape.score_for(rng, stars)
            sent = day + dt.timedelta(days=15) if council == w.provincial and score >= 90 else None
            round_index = w.round_id(council, day)
            evaluation_rows.append(
                [
                    None,
                    round_index,
                    product_id,
                    kind,
                    rule,
                    sheet.number,
                    sheet.version,
                    sheet.content,
                    dt.datetime.combine(day, dt.time(9), dt.UTC),
                    Decimal(score),
                    _parts(rule, score),
                    stars,
                    stars,
                    [],
                    sent,
                    True,
                    1,
                ]
            )
            if stars < 3 or (stars == 5 and council == w.provincial):
                continue
            decided = day + dt.timedelta(days=20)
            cert = [
                None,
                product_id,
                len(evaluation_rows) - 1,
                f"{rng.randrange(100, 9999)}/QĐ-UBND",
                decided,
                CouncilLevel.CENTRAL if council == w.central else CouncilLevel.PROVINCE,
                stars,
                rule,
                valid_until(decided),
                None,
                "",
                "",
                "",
                True,
                1,
            ]
            cert_rows.append(cert)
            if previous_cert is not None:
                previous_cert[9] = len(cert_rows) - 1  # superseded by this one
            previous_cert = cert
    for pk, row in zip(reserve_ids(Round, len(w.round_rows)), w.round_rows, strict=True):
        row[0] = pk
        row[4] = row[3] + dt.timedelta(days=30)
    insert_rows(
        Round, ("id", "council_id", "name", "evaluated_on", "deadline", "version"), w.round_rows
    )
    round_pk = [row[0] for row in w.round_rows]
    evaluation_pk = reserve_ids(Evaluation, len(evaluation_rows))
    for pk, row in zip(evaluation_pk, evaluation_rows, strict=True):
        row[0], row[1] = pk, round_pk[row[1]]
    insert_rows(
        Evaluation,
        (
            "id",
            "round_id",
            "product_id",
            "kind",
            "rule",
            "sheet_number",
            "sheet_version",
            "sheet_content",
            "finalized_at",
            "total",
            "parts",
            "band_star",
            "star",
            "blockers",
            "sent_to_central_on",
            "illustrative",
            "version",
        ),
        evaluation_rows,
    )
    cert_pk = reserve_ids(Certificate, len(cert_rows))
    superseded = []
    for pk, row in zip(cert_pk, cert_rows, strict=True):
        row[0], row[2] = pk, evaluation_pk[row[2]]
    for row in cert_rows:
        if row[9] is not None:
            superseded.append((row[0], cert_pk[row[9]]))
            row[9] = None
    insert_rows(
        Certificate,
        (
            "id",
            "product_id",
            "evaluation_id",
            "decision_no",
            "decision_date",
            "level",
            "star",
            "rule",
            "valid_until",
            "superseded_by_id",
            "revocation_no",
            "revocation_ground",
            "revocation_note",
            "illustrative",
            "version",
        ),
        cert_rows,
    )
    # The superseding certificate exists now: point the older ones at it.
    update_rows(Certificate, ("superseded_by_id",), superseded)
