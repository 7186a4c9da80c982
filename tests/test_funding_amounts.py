"""Written Vietnamese amounts: parsed exactly into đồng, shown back in the unit the user picks,
with clear Vietnamese errors; floats are refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nongthon.funding.amounts import MoneyUnit, format_amount, in_unit, parse_amount, to_dong

TRIEU = Decimal(10**6)
TY = Decimal(10**9)


@pytest.mark.parametrize(
    ("written", "dong"),
    [
        ("6.259.605 triệu đồng", Decimal(6_259_605) * TRIEU),
        ("14.348,283 tỷ đồng", Decimal("14348.283") * TY),
        ("101,903 tỷ đồng", Decimal("101.903") * TY),
        ("13.237 tỷ đồng", Decimal(13_237) * TY),
        ("221,03 tỷ đồng", Decimal("221.03") * TY),
        ("170.914 triệu đồng.", Decimal(170_914) * TRIEU),
        ("1.500.000 đồng", Decimal(1_500_000)),
        ("2,5 tỉ", Decimal("2.5") * TY),
        ("850 trđ", Decimal(850) * TRIEU),
        ("  12   triệu  ", Decimal(12) * TRIEU),
    ],
)
def test_it_reads_amounts_as_the_plans_write_them(written, dong):
    assert parse_amount(written) == dong
    assert isinstance(parse_amount(written), Decimal)


def test_the_unit_in_the_text_wins_and_the_chosen_unit_fills_in():
    assert parse_amount("1.234", MoneyUnit.TRIEU) == Decimal(1234) * TRIEU
    assert parse_amount("1.234 tỷ đồng", MoneyUnit.TRIEU) == Decimal(1234) * TY


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "Chưa nhập số tiền"),
        ("1.23 triệu đồng", "dấu chấm phân cách hàng nghìn"),
        ("12,5,3 tỷ đồng", "dấu chấm phân cách hàng nghìn"),
        ("abc triệu đồng", "Không đọc được số tiền"),
        ("1.234", "chưa có đơn vị"),
        ("-5 triệu đồng", "không được âm"),
        ("1,5 đồng", "lẻ dưới 1 đồng"),
        ("triệu đồng", "thiếu con số"),
    ],
)
def test_it_explains_in_vietnamese_what_is_wrong(written, message):
    with pytest.raises(ValidationError) as caught:
        parse_amount(written)
    assert message in caught.value.messages[0]


def test_it_shows_amounts_in_the_unit_the_user_picks():
    dong = parse_amount("14.348,283 tỷ đồng")
    assert format_amount(dong, MoneyUnit.TY) == "14.348,283 tỷ đồng"
    assert format_amount(dong, MoneyUnit.TRIEU) == "14.348.283 triệu đồng"
    assert format_amount(dong, MoneyUnit.DONG) == "14.348.283.000.000 đồng"
    assert format_amount(parse_amount("6.259.605 triệu đồng"), MoneyUnit.TY) == (
        "6.259,605 tỷ đồng"
    )
    assert in_unit(dong, MoneyUnit.TY) == Decimal("14348.283")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_dong(1.5, MoneyUnit.TY)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        in_unit(1000.0, MoneyUnit.TRIEU)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_amount(0.1, MoneyUnit.TRIEU)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_amount(6259605.0)  # type: ignore[arg-type]
