"""District recognition: the procedure file for districts (every step unverified, configuration),
and the decision refused while the QĐ 320 conditions computed from its communes fail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from nongthon.places.models import Unit, UnitKind
from nongthon.recognition import services
from nongthon.recognition.models import Decision, DecisionKind, Title
from nongthon.recognition.rules import procedure_for_level
from tests.recognition_support import evaluate, walk

DATA = Path(__file__).resolve().parents[1] / "src/nongthon/catalogue/data"


@pytest.fixture
def qd320(db):
    from nongthon.catalogue.services import load_set_file

    return load_set_file(DATA / "qd320-huyen-ntm.yaml").criteria_set


def test_district_steps_are_configuration_not_verified():
    proc = procedure_for_level("district")
    assert proc.code == "qd18-2022-huyen"
    assert not any(step.verified for step in proc.steps)
    assert proc.last.code == "decision"


def test_district_decision_names_the_communes_that_are_not_ntm(
    vi_thuy, qd320, province_coordinator, hau_giang
):
    evaluate(vi_thuy, qd320)
    app = walk(services.register(None, vi_thuy, "ntm", 2023, on=dt.date(2023, 9, 1)))
    app = services.record_satisfaction(
        None, app, percent=Decimal("92"), meets=None, expected_version=None
    )
    app = services.record_manual_debt(
        None, app, amount=Decimal(0), basis="Báo cáo", expected_version=None
    )
    data = services.DecisionData("1/QĐ-TTg", dt.date(2023, 12, 20), "Thủ tướng", "Chính phủ")
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, data, expected_version=None)
    message = " ".join(error.value.messages)
    assert "100% số xã đạt chuẩn nông thôn mới" in message and "Vị Bình" in message
    # Every xã NTM and one nâng cao (1/9 ≥ 10%): the district may be recognised.
    decision = Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number="5/QĐ-UBND",
        date=dt.date(2022, 12, 1),
        signer="Chủ tịch",
        issuer="UBND tỉnh",
        province=hau_giang,
    )
    xa = list(Unit.objects.filter(district=vi_thuy, kind=UnitKind.XA))
    for unit in xa:
        Title.objects.create(unit=unit, tier="ntm", year=2022, decision=decision)
    Title.objects.create(unit=xa[0], tier="nang_cao", year=2022, decision=decision)
    title = services.decide(province_coordinator, app, data, expected_version=None)
    assert title.unit == vi_thuy and title.snapshot["set"]["code"] == "qd320-huyen-ntm"


def test_district_satisfaction_below_ninety_percent_fails(vi_thuy, qd320):
    from nongthon.recognition import eligibility

    app = services.register(None, vi_thuy, "ntm", 2023)
    app = services.record_satisfaction(
        None, app, percent=Decimal("89.9"), meets=None, expected_version=None
    )
    satisfaction = next(c for c in eligibility.check(app) if c.code == "satisfaction")
    assert satisfaction.met is False and "≥90" in satisfaction.detail
