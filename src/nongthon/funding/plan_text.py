"""Read the funding section of a plan as it is written (pure: no database).

    Tổng hợp đề xuất nhu cầu vốn ... là 6.259.605 triệu đồng, cụ thể:
    - Vốn Trung ương hỗ trợ cho Chương trình: 170.914 triệu đồng.
    - Vốn lồng ghép: 149.039 triệu đồng.

Each "label: amount" line becomes a line; the sentence with "tổng" and "là <amount>" becomes
the stated total. Every line that cannot be read is reported with its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nongthon.funding.amounts import parse_amount
from nongthon.places.text import fold

_TOTAL = re.compile(r"\blà\s+(?P<amount>[\d.,]+\s*(?:triệu đồng|tỷ đồng|tỉ đồng|đồng))", re.I)
_LINE = re.compile(r"^[\s\-–•+*]*(?P<label>[^:]+?)\s*:\s*(?P<amount>.+?)\s*[.;]?\s*$")


@dataclass
class WrittenLine:
    number: int  # line number in the text, from 1
    label: str
    written: str
    amount: Decimal  # đồng


@dataclass
class ReadPlan:
    lines: list[WrittenLine] = field(default_factory=list)
    total: Decimal | None = None
    total_written: str = ""
    errors: list[str] = field(default_factory=list)


def read_plan_text(text: str) -> ReadPlan:
    result = ReadPlan()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        total = _TOTAL.search(line)
        if total and "tong" in fold(line):
            try:
                result.total = parse_amount(total["amount"])
                result.total_written = total["amount"]
            except ValidationError as error:
                result.errors.append(_("Dòng %(n)d: %(e)s") % {"n": number, "e": error.messages[0]})
            continue
        match = _LINE.match(line)
        if not match:
            continue  # prose between the lines
        written = match["amount"].rstrip(".; ")
        try:
            amount = parse_amount(written)
        except ValidationError as error:
            result.errors.append(_("Dòng %(n)d: %(e)s") % {"n": number, "e": error.messages[0]})
            continue
        result.lines.append(WrittenLine(number, match["label"].strip(), written, amount))
    if not result.lines and not result.errors:
        result.errors.append(_("Không tìm thấy dòng nào dạng «Tên nguồn vốn: số tiền đơn vị»."))
    return result
