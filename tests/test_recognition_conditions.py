"""District and province conditions (QĐ 320 / QĐ 321) computed from the titles below, the
maintenance review, and the merger rule (CV 267/BNN-VPĐP)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.places.models import Edition, Level, Succession, Unit, UnitKind
from nongthon.recognition import queries, services
from nongthon.recognition.merger import inheritance
from nongthon.recognition.models import Decision, DecisionKind, Title, TitleStatus

DAY = dt.date(2023, 12, 31)


@pytest.fixture
def decision(hau_giang):
    return Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number="1/QĐ-UBND",
        date=dt.date(2022, 12, 20),
        signer="Chủ tịch",
        issuer="UBND tỉnh",
        province=hau_giang,
    )


def grant(units, tier, decision):
    for unit in units:
        Title.objects.create(unit=unit, tier=tier, year=decision.date.year, decision=decision)


def xa_of(district):
    return list(Unit.objects.filter(district=district, kind=UnitKind.XA).order_by("code"))


def test_district_ntm_needs_every_xa_ntm_and_ten_percent_nang_cao(vi_thuy, decision):
    communes = xa_of(vi_thuy)
    grant(communes[:-1], "ntm", decision)
    report = queries.conditions_report(vi_thuy, DAY)
    ntm = next(c for c in report.conditions if c.code == "communes_ntm")
    assert ntm.met is False
    assert ntm.missing == communes[-1:]
    assert ntm.detail.startswith(f"{len(communes) - 1}/{len(communes)}")
    grant(communes[-1:], "ntm", decision)
    grant(communes[:1], "nang_cao", decision)
    report = queries.conditions_report(vi_thuy, DAY)
    by_code = {c.code: c for c in report.conditions}
    assert by_code["communes_ntm"].met is True
    # 1 of 9 xã is 11,1% ≥ 10%.
    assert by_code["communes_nang_cao"].met is True, by_code["communes_nang_cao"].detail
    assert by_code["towns_civilised"].met is None  # no data: judged by hand
    assert not report.all_met


def test_province_needs_forty_percent_of_xa_nang_cao(hau_giang, decision):
    xa = list(queries.rural_communes(hau_giang).order_by("code"))
    grant(xa[:20], "nang_cao", decision)  # 20/51 = 39,2%
    status = queries.condition_status(hau_giang, DAY)
    assert status["communes_nang_cao"] is False
    grant(xa[20:21], "nang_cao", decision)  # 21/51 = 41,2%
    assert queries.condition_status(hau_giang, DAY)["communes_nang_cao"] is True
    assert queries.condition_status(hau_giang, DAY)["districts_ntm"] is False


def test_a_commune_has_no_condition_report(vi_binh):
    assert queries.conditions_report(vi_binh, DAY) is None


def test_titles_held_respect_decision_and_end_dates(vi_binh, hau_giang, decision):
    grant([vi_binh], "ntm", decision)
    assert queries.count_titles_held(hau_giang, dt.date(2022, 12, 19))["ntm"] == 0
    assert queries.count_titles_held(hau_giang, dt.date(2022, 12, 20))["ntm"] == 1
    Title.objects.update(status=TitleStatus.REVOKED, ended_on=dt.date(2024, 1, 1))
    assert queries.count_titles_held(hau_giang, dt.date(2024, 1, 1))["ntm"] == 0
    assert queries.titles_granted(hau_giang, 2022).count() == 1


# --- Merger ---------------------------------------------------------------------------------


@pytest.fixture
def merged(db, vi_binh, vi_dong):
    """A 2025 commune formed from Vị Bình and Vị Đông (whatever the real list says)."""
    new = Unit.objects.filter(edition=Edition.Y2025, level=Level.COMMUNE).first()
    Succession.objects.filter(successor=new).delete()
    for old in (vi_binh, vi_dong):
        Succession.objects.update_or_create(
            predecessor=old, successor=new, defaults={"kind": Succession.Kind.WHOLE}
        )
    return new


@pytest.fixture
def can_tho_coordinator(can_tho):
    from tests.conftest import make_user

    return make_user("cantho", can_tho, "province_coordinator")


def merger_data():
    return services.DecisionData("5/QĐ-UBND", dt.date(2025, 9, 1), "Chủ tịch", "UBND TP Cần Thơ")


def test_mixed_parts_must_apply_again(merged, vi_binh, decision, can_tho_coordinator):
    grant([vi_binh], "ntm", decision)
    row = next(r for r in inheritance(merged) if r.tier == "ntm")
    assert not row.all_recognised
    assert [u.short_name for u in row.without] == ["Vị Đông"]
    with pytest.raises(ValidationError) as error:
        services.record_merger_decision(can_tho_coordinator, merged, "ntm", merger_data())
    assert "Vị Đông" in " ".join(error.value.messages)


def test_all_parts_recognised_province_records_the_inheritance(
    merged, vi_binh, vi_dong, decision, can_tho_coordinator, province_coordinator
):
    grant([vi_binh, vi_dong], "ntm", decision)
    with pytest.raises(PermissionDenied):  # Hậu Giang's coordinator does not reach 2025 units
        services.record_merger_decision(province_coordinator, merged, "ntm", merger_data())
    title = services.record_merger_decision(can_tho_coordinator, merged, "ntm", merger_data())
    assert title.decision.kind == DecisionKind.MERGER
    assert {t.unit.short_name for t in title.inherited_from.all()} == {"Vị Bình", "Vị Đông"}
    old = Title.objects.get(unit=vi_binh)
    assert old.status == TitleStatus.MERGED and old.end_decision == title.decision
    row = next(r for r in inheritance(merged) if r.tier == "ntm")
    assert row.decided == title


def test_review_command_prints_the_flagged_titles(vi_binh, decision, capsys):
    from django.core.management import call_command

    from tests.recognition_support import evaluate, load_qd318

    Title.objects.create(
        unit=vi_binh, tier="ntm", year=2022, decision=decision, criteria_set=load_qd318()
    )
    evaluate(vi_binh, load_qd318(), year=2023, failing=tuple(range(1, 11)))  # 10/19 = 52,6%
    call_command("review_titles", "--year", "2023")
    out = capsys.readouterr().out
    assert "Đề xuất thu hồi" in out and "Vị Bình" in out and "52,6%" in out
