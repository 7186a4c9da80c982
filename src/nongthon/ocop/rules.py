"""OCOP rule versions (QĐ 1048/2019, QĐ 148/2023, QĐ 26/2026) read from data/rules.yaml: which
one governs a day, the star bands, the certificate periods. No number here: all come from data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RuleVersion:
    code: str
    name: str
    decision: str
    valid_from: dt.date
    valid_to: dt.date | None
    parts: dict[str, int]
    bands_source: str
    gates_note: str
    levels: tuple[str, ...]
    product_code: str
    product_code_source: str
    classification_source: str
    district_level_until: dt.date | None = None
    certifies: dict[str, tuple[int, ...]] | None = None

    def stars_certified_by(self, level: str, day: dt.date) -> tuple[int, ...]:
        """Stars a council level recognises on `day` (a district's 3 stars moved to the
        province with QĐ 1489)."""
        stars = tuple((self.certifies or {}).get(level, ()))
        if (
            level == "province"
            and self.district_level_until
            and day <= self.district_level_until
            and 3 in (self.certifies or {}).get("district", ())
        ):
            stars = tuple(s for s in stars if s != 3)
        return stars

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def levels_on(self, day: dt.date) -> tuple[str, ...]:
        """Council levels allowed on `day`: the district level ended on 06/7/2025 (QĐ 1489)."""
        if self.district_level_until and day > self.district_level_until:
            return tuple(level for level in self.levels if level != "district")
        return self.levels


@dataclass(frozen=True)
class CertificateRules:
    validity_months: int
    window_opens_days_before: int
    window_closes_days_before: int
    expiring_days: int
    revocation_grounds: dict[str, str]


@cache
def _raw() -> dict:
    return yaml.safe_load((DATA / "rules.yaml").read_text(encoding="utf-8"))


@cache
def rule_versions() -> tuple[RuleVersion, ...]:
    out = []
    for item in _raw()["rules"]:
        out.append(
            RuleVersion(
                code=item["code"],
                name=item["name"],
                decision=item["decision"],
                valid_from=item["valid_from"],
                valid_to=item.get("valid_to"),
                parts=dict(item["parts"]),
                bands_source=item["bands_source"],
                gates_note=item["gates_note"],
                levels=tuple(item["levels"]),
                product_code=item["product_code"],
                product_code_source=item["product_code_source"],
                classification_source=item["classification_source"],
                district_level_until=item.get("district_level_until"),
                certifies={k: tuple(v) for k, v in (item.get("certifies") or {}).items()},
            )
        )
    return tuple(out)


def rule_version(code: str) -> RuleVersion:
    for rule in rule_versions():
        if rule.code == code:
            return rule
    raise KeyError(code)


def rule_for(day: dt.date) -> RuleVersion | None:
    """The rule version in force on `day` (None before QĐ 1048 took effect)."""
    for rule in rule_versions():
        if rule.covers(day):
            return rule
    return None


def bands() -> list[tuple[int, Decimal]]:
    """(star, lowest score) pairs, lowest star first."""
    return [(b["star"], Decimal(str(b["from"]))) for b in _raw()["bands"]]


def certified_from_star() -> int:
    return int(_raw()["certified_from_star"])


@cache
def certificate_rules() -> CertificateRules:
    raw = _raw()["certificate"]
    return CertificateRules(
        validity_months=int(raw["validity_months"]),
        window_opens_days_before=int(raw["window_opens_days_before"]),
        window_closes_days_before=int(raw["window_closes_days_before"]),
        expiring_days=int(raw["expiring_days"]),
        revocation_grounds=dict(raw["revocation_grounds"]),
    )


def band_star(score: Decimal) -> int:
    """The star of a score by the bands alone: <30 → 1, 30–<50 → 2, … 90–100 → 5."""
    star = 1
    for level, lowest in bands():
        if score >= lowest:
            star = level
    return star
