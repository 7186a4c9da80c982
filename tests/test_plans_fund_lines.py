"""A plan's fund lines (Dự kiến nguồn lực) on their pages: added, edited and deleted by those
who edit the plan, amounts typed the Vietnamese way (funding's parser: "101,903", "6.259.605",
"221,03 tỷ đồng"), refusals on the amount field, stale saves and deletes refused, every change in
the line's history with who and why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.accounts.models import Role
from nongthon.plans import services
from nongthon.plans.models import FundLine
from tests.conftest import client_for, make_user
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(hau_giang):
    return make_plan(hau_giang, 2023)


def add(client, plan, amount: str, unit: str = "billion", **extra):
    data = {"source": "central", "amount": amount, "money_unit": unit} | extra
    return client.post(f"/plans/{plan.pk}/funds/new/", data)


@pytest.mark.parametrize(
    ("typed", "unit", "amount", "stored_unit"),
    [
        ("101,903", "billion", Decimal("101.903"), "billion"),
        ("6.259.605", "million", Decimal("6259605"), "million"),
        ("13.237", "billion", Decimal("13237"), "billion"),  # "." groups thousands
        ("221,03 tỷ đồng", "million", Decimal("221.03"), "billion"),  # the written unit wins
        ("170.914 triệu đồng", "billion", Decimal("170914"), "million"),
        ("500.000.000 đồng", "million", Decimal("500"), "million"),
    ],
)
def test_amounts_are_read_the_vietnamese_way(plan, typed, unit, amount, stored_unit):
    line = services.add_fund_line(None, plan, source="central", amount=typed, money_unit=unit)
    line.refresh_from_db()
    assert (line.amount, line.money_unit) == (amount, stored_unit)


@pytest.mark.parametrize(
    ("typed", "unit", "says"),
    [
        ("", "billion", "Số tiền: bắt buộc"),
        ("12.34.5", "billion", "Không đọc được số tiền «12.34.5»"),
        ("101.9035", "billion", "Không đọc được"),  # "." groups thousands, three digits each
        ("-5", "million", "không được âm"),
        ("1,2345", "billion", "lẻ quá 3 chữ số thập phân"),
        ("1.000.000.000.000.000", "billion", "quá lớn"),
        ("1,5 đồng", "million", "lẻ dưới 1 đồng"),
    ],
)
def test_a_bad_amount_is_refused_on_its_field_and_nothing_is_saved(plan, typed, unit, says):
    with pytest.raises(ValidationError) as caught:
        services.add_fund_line(None, plan, source="central", amount=typed, money_unit=unit)
    assert set(caught.value.message_dict) == {"amount"}
    assert says in " ".join(caught.value.message_dict["amount"])
    assert not FundLine.objects.exists()


def test_the_coordinator_adds_a_line_on_the_page_and_the_plan_prints_it(plan, province_coordinator):
    client = client_for(province_coordinator)
    assert client.get(f"/plans/{plan.pk}/funds/new/").status_code == 200
    response = add(client, plan, "101,903", label="Vốn Trung ương hỗ trợ cho Chương trình")
    assert response.status_code == 302 and response.url.endswith("#funds")
    add(client, plan, "559,912", source="local")
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "101,903 tỷ đồng" in page and "559,912 tỷ đồng" in page
    assert 'data-testid="fund-total">661,815 tỷ đồng' in page
    line = FundLine.objects.get(source="central")
    assert line.history.get().history_user == province_coordinator


def test_a_bad_amount_on_the_page_shows_the_message_under_the_field(plan, province_coordinator):
    response = add(client_for(province_coordinator), plan, "mười tỷ")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không đọc được số tiền «mười tỷ»" in body and "is-invalid" in body
    assert not FundLine.objects.exists()


def test_editing_a_line_keeps_its_history_with_who_and_why(plan, province_coordinator):
    line = services.add_fund_line(
        None, plan, source="credit", amount="13.237", money_unit="billion"
    )
    client = client_for(province_coordinator)
    page = client.get(f"/plans/funds/{line.pk}/edit/").content.decode()
    assert 'value="13.237"' in page  # shown back the Vietnamese way
    response = client.post(
        f"/plans/funds/{line.pk}/edit/",
        {"version": line.version, "source": "credit", "amount": "13.500", "money_unit": "billion"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.version) == (Decimal("13500"), 2)
    latest = line.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (
        province_coordinator,
        "Sửa nguồn vốn",
    )
    page = client.get(f"/plans/funds/{line.pk}/edit/").content.decode()
    assert 'data-testid="history"' in page and "13.237" in page and "13.500" in page


def test_a_stale_edit_is_refused_naming_what_changed(plan, province_coordinator):
    line = services.add_fund_line(
        None, plan, source="credit", amount="13.237", money_unit="billion"
    )
    services.update_fund_line(None, line, line.version, amount="14.000")
    response = client_for(province_coordinator).post(
        f"/plans/funds/{line.pk}/edit/",
        {"version": 1, "source": "credit", "amount": "15.000", "money_unit": "billion"},
    )
    assert response.status_code == 200
    assert "số tiền «13.237» → «14.000»" in response.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("14000")


def test_deleting_a_line_is_recorded_and_a_stale_delete_refused(plan, province_coordinator):
    line = services.add_fund_line(None, plan, source="other", amount="5", money_unit="billion")
    client = client_for(province_coordinator)
    stale = client.post(f"/plans/funds/{line.pk}/delete/", {"version": line.version + 1})
    assert stale.status_code == 302 and FundLine.objects.filter(pk=line.pk).exists()
    done = client.post(f"/plans/funds/{line.pk}/delete/", {"version": line.version})
    assert done.status_code == 302 and not FundLine.objects.filter(pk=line.pk).exists()
    deleted = FundLine.history.filter(id=line.pk, history_type="-").get()
    assert deleted.history_user == province_coordinator
    assert deleted.history_change_reason == "Xóa nguồn vốn"


def test_who_may_change_fund_lines_is_who_may_edit_the_plan(
    plan, viewer, district_officer, vi_thuy, can_tho
):
    line = services.add_fund_line(None, plan, source="central", amount="1", money_unit="billion")
    urls = (
        f"/plans/{plan.pk}/funds/new/",
        f"/plans/funds/{line.pk}/edit/",
        f"/plans/funds/{line.pk}/delete/",
    )
    # The viewer sees the plan, may not change it.
    assert client_for(viewer).get(urls[0]).status_code == 403
    assert client_for(viewer).post(urls[1], {"amount": "2"}).status_code == 403
    assert client_for(viewer).post(urls[2], {"version": 1}).status_code == 403
    # The district does not see the province's plan; another province neither.
    outsider = make_user("ct", can_tho, Role.PROVINCE_COORDINATOR)
    for user in (district_officer, outsider):
        assert all(client_for(user).post(url).status_code == 404 for url in urls)
    with pytest.raises(PermissionDenied):
        services.update_fund_line(district_officer, line, line.version, amount="2")
    assert FundLine.objects.get(pk=line.pk).amount == Decimal("1")
    # The district officer manages the district's own plan.
    district_plan = make_plan(vi_thuy, 2023, body="UBND huyện Vị Thủy")
    response = add(client_for(district_officer), district_plan, "12,5")
    assert response.status_code == 302 and district_plan.fund_lines.get().amount == Decimal("12.5")
