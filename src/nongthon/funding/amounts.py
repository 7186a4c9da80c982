"""Money in VND: exact decimals only, written and read the Vietnamese way.

Amounts are stored in đồng as whole numbers (Decimal, never float). People enter and read them
in đồng, triệu đồng or tỷ đồng, with "." between thousands and "," before decimals, as the plans
write them: "6.259.605 triệu đồng", "14.348,283 tỷ đồng", "101,903 tỷ đồng".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.places.text import fold


class MoneyUnit(models.TextChoices):
    DONG = "dong", _("đồng")
    TRIEU = "trieu", _("triệu đồng")
    TY = "ty", _("tỷ đồng")


FACTORS: dict[str, Decimal] = {
    MoneyUnit.DONG: Decimal(1),
    MoneyUnit.TRIEU: Decimal(1_000_000),
    MoneyUnit.TY: Decimal(1_000_000_000),
}

# Written unit words (folded: lower case, no accents) and the unit they mean; longest first.
_UNIT_WORDS: list[tuple[str, str]] = sorted(
    [
        ("ty dong", MoneyUnit.TY),
        ("ti dong", MoneyUnit.TY),
        ("ty", MoneyUnit.TY),
        ("ti", MoneyUnit.TY),
        ("trieu dong", MoneyUnit.TRIEU),
        ("trieu", MoneyUnit.TRIEU),
        ("tr.d", MoneyUnit.TRIEU),
        ("trd", MoneyUnit.TRIEU),
        ("dong", MoneyUnit.DONG),
        ("vnd", MoneyUnit.DONG),
        ("d", MoneyUnit.DONG),
    ],
    key=lambda pair: -len(pair[0]),
)
_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$")


# Whole đồng fit in the amount columns (DecimalField(max_digits=20)): 10^20 đồng is far beyond
# any budget, so a longer figure is a typing error, refused rather than overflowing the column.
MAX_DIGITS = 20


def to_dong(amount: Decimal, unit: str) -> Decimal:
    """An amount in `unit` as whole đồng; refuses floats, fractions of a đồng and figures too
    long for the amount columns."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"Số tiền phải là Decimal, không phải {type(amount).__name__}")
    if not amount.is_finite():
        raise ValidationError(_("Số tiền không hợp lệ."), code="format")
    with localcontext() as exact:
        # Room for any figure that could fit, so the checks below see it unrounded.
        exact.prec = 2 * MAX_DIGITS + 20
        dong = amount * FACTORS[unit]
        if dong != 0 and dong.adjusted() >= MAX_DIGITS:
            raise ValidationError(
                _("Số tiền %(amount)s %(unit)s quá lớn (tối đa %(digits)s chữ số đồng)."),
                code="too_large",
                params={
                    "amount": format_number(amount) if amount.adjusted() < 40 else "…",
                    "unit": MoneyUnit(unit).label,
                    "digits": MAX_DIGITS,
                },
            )
        if dong != dong.to_integral_value():
            raise ValidationError(
                _("Số tiền %(amount)s %(unit)s lẻ dưới 1 đồng."),
                code="fraction",
                params={"amount": format_number(amount), "unit": MoneyUnit(unit).label},
            )
        return dong.quantize(Decimal(1))


def in_unit(dong: Decimal, unit: str) -> Decimal:
    """Đồng shown in `unit`, exactly (6259605000000 đồng → 6259605 triệu)."""
    if not isinstance(dong, Decimal):
        raise TypeError(f"Số tiền phải là Decimal, không phải {type(dong).__name__}")
    return _plain(dong / FACTORS[unit])


def _plain(value: Decimal) -> Decimal:
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized.as_tuple().exponent > 0 else normalized


def format_number(value: Decimal, places: int | None = None) -> str:
    """1234567.5 → "1.234.567,5" (places: round to that many decimals, half up)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"Số tiền phải là Decimal, không phải {type(value).__name__}")
    value = value.quantize(Decimal(1).scaleb(-places)) if places is not None else _plain(value)
    sign = "-" if value < 0 else ""
    whole, _sep, frac = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def format_amount(dong: Decimal, unit: str = MoneyUnit.TRIEU, with_unit: bool = True) -> str:
    """6259605000000 đồng in triệu → "6.259.605 triệu đồng"."""
    text = format_number(in_unit(dong, unit))
    return f"{text} {MoneyUnit(unit).label}" if with_unit else text


def parse_amount(text: str, unit: str | None = None) -> Decimal:
    """A written amount as whole đồng. The unit written in the text wins over `unit`.

    "6.259.605 triệu đồng" → 6259605000000; "14.348,283 tỷ đồng" → 14348283000000;
    "13.237 tỷ đồng" → 13237000000000 ("." groups thousands, as in the plans).
    """
    if not isinstance(text, str):
        raise TypeError(f"Số tiền viết phải là chuỗi, không phải {type(text).__name__}")
    raw = " ".join(text.split())
    if not raw:
        raise ValidationError(_("Chưa nhập số tiền."), code="empty")
    folded = fold(raw).rstrip(".")
    written_unit = None
    for word, code in _UNIT_WORDS:
        if folded.endswith(word) and (
            len(folded) == len(word) or not folded[-len(word) - 1].isalpha()
        ):
            written_unit = code
            folded = folded[: -len(word)].strip()
            break
    number_text = folded.replace(" ", "")
    if number_text.startswith("-"):
        raise ValidationError(
            _("Số tiền «%(text)s» không được âm."), code="negative", params={"text": raw}
        )
    if not number_text:
        raise ValidationError(_("«%(text)s» thiếu con số."), code="no_number", params={"text": raw})
    if not _NUMBER.match(number_text):
        raise ValidationError(
            _(
                "Không đọc được số tiền «%(text)s»: viết theo kiểu Việt Nam, dấu chấm phân cách "
                "hàng nghìn (mỗi nhóm 3 chữ số), dấu phẩy trước phần thập phân, "
                "ví dụ 6.259.605 hoặc 14.348,283."
            ),
            code="format",
            params={"text": raw},
        )
    chosen = written_unit or unit
    if chosen is None:
        raise ValidationError(
            _("Số tiền «%(text)s» chưa có đơn vị (đồng, triệu đồng hoặc tỷ đồng)."),
            code="no_unit",
            params={"text": raw},
        )
    try:
        number = Decimal(number_text.replace(".", "").replace(",", "."))
    except InvalidOperation as error:  # the pattern above makes this unreachable; keep it honest
        raise ValidationError(
            _("Không đọc được số tiền «%(text)s»."), code="format", params={"text": raw}
        ) from error
    return to_dong(number, chosen)
