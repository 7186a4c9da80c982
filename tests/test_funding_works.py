"""Works: tied to a commune and the criterion they serve, disbursed by date, with outstanding
XDCB debt that feeds recognition's "no outstanding debt" condition."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.funding import queries, services
from nongthon.funding.queries import outstanding_debt

TRIEU = Decimal(10**6)


@pytest.fixture
def road(vi_binh):
    return services.create_work(
        None, vi_binh, name="Đường ấp 7", family="qd318-xa-ntm", criterion_number=2,
        investment_total="2.400 triệu đồng", start_date=dt.date(2021, 3, 1),
        end_date=dt.date(2022, 6, 30), sources={"central-investment": 1_400 * TRIEU},
    )  # fmt: skip


def test_outstanding_debt_is_debt_less_repayments_on_the_day(road, vi_binh, vi_thuy, hau_giang):
    assert outstanding_debt(vi_binh, dt.date(2022, 1, 1)) == Decimal(0)
    debt = services.record_debt(None, road, "850 triệu đồng", 2021)
    services.record_repayment(None, debt, dt.date(2022, 7, 15), "300 triệu đồng")
    assert outstanding_debt(vi_binh, dt.date(2020, 12, 31)) == 0  # not incurred yet
    assert outstanding_debt(vi_binh, dt.date(2022, 7, 14)) == 850 * TRIEU
    assert outstanding_debt(vi_binh, dt.date(2022, 12, 31)) == 550 * TRIEU
    # A district and the province carry their communes' debt.
    assert outstanding_debt(vi_thuy, dt.date(2022, 12, 31)) == 550 * TRIEU
    assert outstanding_debt(hau_giang, dt.date(2022, 12, 31)) == 550 * TRIEU
    services.record_repayment(None, debt, dt.date(2023, 2, 1), "550 triệu đồng")
    result = outstanding_debt(vi_binh, dt.date(2023, 12, 31))
    assert result == 0 and isinstance(result, Decimal)
    assert [u for u, _a in queries.communes_with_debt(hau_giang, dt.date(2022, 12, 31))] == [
        vi_binh
    ]


def test_a_commune_without_works_owes_nothing(vi_dong):
    result = outstanding_debt(vi_dong, dt.date(2022, 12, 31))
    assert result == Decimal(0) and isinstance(result, Decimal)


def test_repaying_more_than_is_owed_is_refused(road):
    debt = services.record_debt(None, road, "100 triệu đồng", 2021)
    with pytest.raises(ValidationError) as caught:
        services.record_repayment(None, debt, dt.date(2022, 1, 1), "101 triệu đồng")
    assert "không vượt số nợ còn lại" in caught.value.messages[0]


def test_disbursements_by_date_and_what_the_work_still_needs(road, vi_binh):
    services.record_disbursement(None, road, dt.date(2021, 9, 1), "1.000 triệu đồng")
    services.record_disbursement(None, road, dt.date(2022, 3, 1), "500 triệu đồng")
    (row,) = queries.works_in(vi_binh, dt.date(2021, 12, 31))
    assert row.disbursed == 1_000 * TRIEU and row.remaining == 1_400 * TRIEU
    (row,) = queries.works_in(vi_binh, dt.date(2022, 12, 31))
    assert row.remaining == 900 * TRIEU
    assert [c for _d, _a, c in queries.disbursement_timeline(road)] == [
        1_000 * TRIEU,
        1_500 * TRIEU,
    ]
    with pytest.raises(ValidationError) as caught:
        services.record_disbursement(None, road, dt.date(2022, 4, 1), "901 triệu đồng")
    assert "vượt tổng mức đầu tư" in caught.value.messages[0]


def test_a_work_is_checked_field_by_field(vi_binh, vi_thuy):
    with pytest.raises(ValidationError) as caught:
        services.create_work(
            None, vi_binh, name=" ", family="f", criterion_number=2, investment_total="1 tỷ",
            start_date=dt.date(2022, 5, 1), end_date=dt.date(2022, 1, 1), progress=Decimal(120),
        )  # fmt: skip
    assert set(caught.value.error_dict) == {"name", "end_date", "progress"}
    with pytest.raises(ValidationError) as caught:
        services.create_work(
            None, vi_binh, name="X", family="f", criterion_number=2, investment_total="1,5 đồng"
        )
    assert "investment_total" in caught.value.error_dict


def test_only_the_communes_editors_record_works(vi_binh, long_tri, commune_officer, viewer):
    kwargs = {"name": "X", "family": "f", "criterion_number": 5, "investment_total": "1 tỷ"}
    services.create_work(commune_officer, vi_binh, **kwargs)
    with pytest.raises(PermissionDenied):
        services.create_work(commune_officer, long_tri, **kwargs)
    with pytest.raises(PermissionDenied):
        services.create_work(viewer, vi_binh, **kwargs)


def test_a_stale_work_edit_is_refused(road, commune_officer, district_officer):
    services.update_work(district_officer, road, 1, progress=Decimal(40))
    with pytest.raises(ValidationError) as caught:
        services.update_work(commune_officer, road, 1, progress=Decimal(60))
    assert caught.value.code == "stale"
    assert "Tiến độ khối lượng" in caught.value.messages[0] or "tiến độ" in caught.value.messages[0]
    road.refresh_from_db()
    assert road.progress == Decimal(40)
    assert road.history.count() == 2


def test_finishing_a_work_sets_full_progress(road, commune_officer):
    work = services.finish_work(commune_officer, road, 1, dt.date(2022, 6, 20))
    assert work.finished and work.progress == 100
