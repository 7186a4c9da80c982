"""The QĐ 18/2022/QĐ-TTg revocation rule as a pure function (thresholds from rules.yaml).

A commune's title is due for revocation when 30% to under 50% of its criteria fail and at least
one failing criterion is a key one, or when 50% or more fail. Shares are compared as exact
fractions so that 3 of 10 is 30%, never 29,999...%.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nongthon.recognition.rules import rules


@dataclass(frozen=True)
class Verdict:
    due: bool
    failing: int
    total: int
    share: Fraction
    key_failing: tuple[str, ...]
    reason: str

    @property
    def percent(self) -> float:
        return float(self.share * 100)


def _pct(share: Fraction) -> str:
    return f"{float(share * 100):.1f}".replace(".", ",")


def criteria_rule(failing: list[tuple[str, bool]], total: int, level: str = "commune") -> Verdict:
    """`failing`: (criterion label, is key) for each failing criterion; `total`: criteria count."""
    rule = rules()["revocation"][level]
    share = Fraction(len(failing), total) if total else Fraction(0)
    keys = tuple(label for label, is_key in failing if is_key)
    partial_from = Fraction(rule["partial_from_percent"], 100)
    partial_below = Fraction(rule["partial_below_percent"], 100)
    full_from = Fraction(rule["full_from_percent"], 100)
    pct = _pct(share)
    if share >= full_from:
        return Verdict(
            True,
            len(failing),
            total,
            share,
            keys,
            f"{len(failing)}/{total} tiêu chí không đạt ({pct}% ≥ {rule['full_from_percent']}%)",
        )
    if partial_from <= share < partial_below and keys:
        return Verdict(
            True,
            len(failing),
            total,
            share,
            keys,
            f"{len(failing)}/{total} tiêu chí không đạt ({pct}%, từ {rule['partial_from_percent']}%"
            f" đến dưới {rule['partial_below_percent']}%), có tiêu chí then chốt: "
            + ", ".join(keys),
        )
    if partial_from <= share < partial_below:
        why = f"{pct}% tiêu chí không đạt nhưng không có tiêu chí then chốt"
    else:
        why = f"{pct}% tiêu chí không đạt, dưới {rule['partial_from_percent']}%"
    return Verdict(False, len(failing), total, share, keys, why)


def district_communes_rule(revoked: int, communes: int) -> Verdict:
    """District rule R1: 30% or more of its communes have had their recognition revoked."""
    rule = rules()["revocation"]["district"]
    share = Fraction(revoked, communes) if communes else Fraction(0)
    due = share >= Fraction(rule["communes_revoked_from_percent"], 100)
    reason = (
        f"{revoked}/{communes} xã bị thu hồi quyết định công nhận ({_pct(share)}%; "
        f"ngưỡng {rule['communes_revoked_from_percent']}%)"
    )
    return Verdict(due, revoked, communes, share, (), reason)
