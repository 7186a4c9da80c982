"""The funding pages and exports on the demo data: what a coordinator, a district and a commune
see, in the money unit they pick; the Excel files read back with openpyxl."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.demo.assessment_data import build_values
from nongthon.demo.funding_data import build_funding
from nongthon.funding.models import FundingLine, Work
from tests.conftest import client_for

FIRST = ["Phú Hữu", "Phú Tân", "Vị Bình"]
NEXT = {"Tân Bình", "Vĩnh Viễn A", "Vị Đông"}


@pytest.fixture
def demo(db, hau_giang):
    load_national_sets()
    qd318 = active_set("qd318-xa-ntm")
    build_values(qd318, lambda _m: None)
    build_funding(qd318.family, lambda _m: None)
    return qd318


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_the_province_sees_the_plans_in_the_unit_it_picks(demo, hau_giang, province_coordinator):
    client = client_for(province_coordinator)
    url = reverse("funding:overview", args=[hau_giang.pk, 2022])
    page = client.get(url).content.decode()
    assert "6.259.605" in page and "Khớp" in page
    assert 'data-testid="illustrative"' in page  # the allocations are made up
    page = client.get(reverse("funding:overview", args=[hau_giang.pk, 2023]) + "?money=ty")
    text = page.content.decode()
    assert "14.348,283" in text and "13.237" in text and "101,903" in text
    assert "Huyện Vị Thủy" in text  # the split by district


def test_the_funding_export_reads_back_exactly(demo, hau_giang, province_coordinator):
    client = client_for(province_coordinator)
    response = client.get(
        reverse("funding:overview", args=[hau_giang.pk, 2023]) + "?format=xlsx&money=ty"
    )
    book = workbook(response)
    sheet = book.worksheets[0]
    rows = {r[0].strip(): r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert Decimal(str(rows["Vốn tín dụng"][1])) == Decimal(13_237)
    assert Decimal(str(rows["Tổng cộng"][1])) == Decimal("14348.283")
    split = book.worksheets[1]
    names = [r[0] for r in split.iter_rows(min_row=5, values_only=True)]
    assert names[0].startswith("Tỉnh Hậu Giang") and "Huyện Vị Thủy" in names


def test_the_distance_list_puts_the_2023_targets_first(demo, hau_giang, province_coordinator):
    client = client_for(province_coordinator)
    response = client.get(reverse("funding:distance", args=[hau_giang.pk, 2022]))
    assert response.status_code == 200
    html = response.content.decode()
    order = [html[i:].split('"', 2)[1] for i in _all(html, 'data-testid="distance-row" data-unit=')]
    assert sorted(order[:3]) == sorted(FIRST)
    assert set(order[3:6]) == NEXT
    assert "17. Môi trường và an toàn thực phẩm" in html


def _all(text, needle):
    start, found = 0, []
    while (i := text.find(needle, start)) >= 0:
        found.append(i + len(needle) - 1)
        start = i + 1
    return found


def test_what_if_on_the_page(demo, hau_giang, province_coordinator):
    works = Work.objects.filter(commune__short_name__in=FIRST, criterion_number=17)
    query = "&".join(f"work={w.pk}" for w in works)
    client = client_for(province_coordinator)
    html = client.get(reverse("funding:distance", args=[hau_giang.pk, 2022]) + "?" + query)
    text = html.content.decode()
    assert 'data-testid="after-at-standard">40/51' in text
    for name in FIRST:
        assert name in text.split('data-testid="passing"')[1].split("</strong>")[0]


def test_the_proposed_targets_page_and_excel(demo, hau_giang, province_coordinator):
    client = client_for(province_coordinator)
    url = reverse("funding:targets", args=[hau_giang.pk, 2022])
    assert "Đề xuất công nhận đạt chuẩn" in client.get(url).content.decode()
    sheet = workbook(client.get(url + "?format=xlsx&stretch=3")).active
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    recognise = {r[1] for r in rows if r[3] == "Đề xuất công nhận đạt chuẩn"}
    assert recognise == {"Xã Phú Hữu", "Xã Phú Tân", "Xã Vị Bình"}
    assert len(rows) == 6


def test_the_works_funding_needs_appendix(demo, hau_giang, province_coordinator):
    client = client_for(province_coordinator)
    response = client.get(reverse("funding:needs", args=[hau_giang.pk, 2023]) + "?money=trieu")
    sheet = workbook(response).active
    assert "NHU CẦU VỐN CÔNG TRÌNH" in sheet["A1"].value
    header = [c.value for c in sheet[4]]
    need_col = header.index("Nhu cầu vốn còn lại (triệu đồng)")
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    communes = {r[2] for r in rows}
    assert {"Xã Phú Hữu", "Xã Tân Bình", "Xã Hòa An"} <= communes
    phu_huu = next(r for r in rows if r[2] == "Xã Phú Hữu")
    assert Decimal(str(phu_huu[need_col])) == Decimal(1_500)
    total = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if r[3] == "Tổng cộng")
    assert Decimal(str(total[need_col])) == sum(Decimal(str(r[need_col])) for r in rows)


def test_the_works_list_shows_progress_and_debt(demo, vi_thuy, district_officer):
    client = client_for(district_officer)
    url = reverse("funding:works", args=[vi_thuy.pk]) + "?on=2022-12-31&money=trieu"
    html = client.get(url).content.decode()
    assert "Đường giao thông ấp 3" in html
    assert "Nợ đọng XDCB còn lại: 550 triệu đồng" in html
    sheet = workbook(client.get(url + "&format=xlsx")).active
    debts = [r[11] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert sum(Decimal(str(d)) for d in debts) == Decimal(550)


def test_other_units_funding_is_a_404(demo, hau_giang, vi_binh, long_tri, commune_officer):
    client = client_for(commune_officer)
    assert client.get(reverse("funding:overview", args=[vi_binh.pk, 2022])).status_code == 200
    assert client.get(reverse("funding:overview", args=[hau_giang.pk, 2022])).status_code == 404
    assert client.get(reverse("funding:works", args=[long_tri.pk])).status_code == 404
    other = Work.objects.get(commune__short_name="Vị Đông", criterion_number=2)
    assert client.get(reverse("funding:work", args=[other.pk])).status_code == 404
    assert client.get(reverse("funding:distance", args=[hau_giang.pk, 2022])).status_code == 404


def test_a_viewer_reads_but_may_not_write(demo, hau_giang, viewer):
    client = client_for(viewer)
    assert client.get(reverse("funding:overview", args=[hau_giang.pk, 2022])).status_code == 200
    response = client.post(
        reverse("funding:line_new", args=[hau_giang.pk, 2022]),
        {"source": "central", "kind": "planned", "amount": "5", "money_unit": "ty"},
    )
    assert response.status_code == 403
    work = Work.objects.filter(commune__short_name="Vị Bình").first()
    response = client.post(reverse("funding:work", args=[work.pk]), {"action": "debt"})
    assert response.status_code == 403


def test_entering_a_line_and_a_plan_on_the_page(demo, vi_binh, commune_officer):
    client = client_for(commune_officer)
    url = reverse("funding:line_new", args=[vi_binh.pk, 2023])
    response = client.post(
        url,
        {"source": "local-commune", "kind": "allocated", "amount": "1.234,5",
         "money_unit": "trieu", "on_date": "15/03/2023"},
    )  # fmt: skip
    assert response.status_code == 302
    line = FundingLine.objects.get(unit=vi_binh, year=2023, kind="allocated")
    assert line.amount == Decimal(1_234_500_000) and line.on_date == dt.date(2023, 3, 15)
    bad = client.post(url, {"source": "local-commune", "kind": "allocated", "amount": "1.23",
                            "money_unit": "trieu"})  # fmt: skip
    assert "dấu chấm phân cách hàng nghìn" in bad.content.decode()
    plan = client.post(
        url,
        {
            "plan-text": "- Vốn lồng ghép: 12 triệu đồng\n- Vốn lạ: 3 triệu đồng",
            "plan-kind": "planned",
        },
    )
    assert "Dòng 2: không nhận ra nguồn vốn «Vốn lạ»" in plan.content.decode()
    assert FundingLine.objects.filter(unit=vi_binh, kind__in=["allocated", "planned"]).count() == 1


def test_recording_on_a_work_and_a_stale_progress(demo, commune_officer, district_officer):
    work = Work.objects.get(commune__short_name="Vị Bình")
    url = reverse("funding:work", args=[work.pk])
    officer, district = client_for(commune_officer), client_for(district_officer)
    district.post(url, {"action": "progress", "progress-progress": "90", "progress-version": "1"})
    response = officer.post(
        url, {"action": "progress", "progress-progress": "95", "progress-version": "1"}, follow=True
    )
    assert "đã được người khác sửa" in response.content.decode()
    work.refresh_from_db()
    assert work.progress == 90
    response = officer.post(
        url, {"action": "debt", "debt-amount": "120", "debt-money_unit": "trieu",
              "debt-year_incurred": "2023"}, follow=True,
    )  # fmt: skip
    assert work.debts.get().amount == Decimal(120_000_000)


def test_editing_a_work_keeps_its_history(demo, commune_officer, district_officer):
    work = Work.objects.get(commune__short_name="Vị Bình")
    url = reverse("funding:work_edit", args=[work.pk])
    officer = client_for(commune_officer)
    form = officer.get(url).content.decode()
    assert 'value="3.800"' in form  # the investment pre-filled in triệu đồng
    data = {
        "name": "Trạm cấp nước ấp 7 (mở rộng)", "criterion_number": "17",
        "indicator_code": "17.1", "investment_total": "4.000", "money_unit": "trieu",
        "start_date": "01/04/2022", "end_date": "31/05/2023", "finished_on": "25/05/2023",
        "progress": "100", "note": "", "version": str(work.version),
    }  # fmt: skip
    assert officer.post(url, data).status_code == 302
    work.refresh_from_db()
    assert work.investment_total == Decimal(4_000_000_000) and work.version == 2
    stale = client_for(district_officer).post(url, {**data, "name": "Khác"}, follow=True)
    assert "đã được người khác sửa" in stale.content.decode()
    page = officer.get(reverse("funding:work", args=[work.pk])).content.decode()
    assert "Trạm cấp nước ấp 7 (mở rộng)" in page and 'data-testid="history"' in page
    assert client_for(district_officer).get(url).status_code == 200


def test_adding_a_work_with_its_sources_on_the_page(db, vi_binh, commune_officer):
    load_national_sets()
    client = client_for(commune_officer)
    url = reverse("funding:work_new", args=[vi_binh.pk])
    data = {
        "name": "Trường mẫu giáo ấp 2", "criterion_number": "5", "indicator_code": "",
        "investment_total": "3,2 tỷ đồng", "money_unit": "trieu", "progress": "0",
        "sources_text": "Ngân sách tỉnh: 2.000 triệu đồng\nVốn lạ: 5 triệu",
    }  # fmt: skip
    refused = client.post(url, data)
    assert "Dòng 2: không nhận ra nguồn vốn «Vốn lạ»" in refused.content.decode()
    assert not Work.objects.exists()
    data["sources_text"] = "Ngân sách tỉnh: 2.000 triệu đồng\nNgân sách xã: 1,2 tỷ đồng"
    assert client.post(url, data).status_code == 302
    work = Work.objects.get()
    assert work.investment_total == Decimal(3_200_000_000)
    assert {ws.source.code: ws.amount for ws in work.sources.all()} == {
        "local-province": Decimal(2_000_000_000),
        "local-commune": Decimal(1_200_000_000),
    }
    data["sources_text"] = "Ngân sách tỉnh: 4 tỷ đồng"
    too_much = client.post(url, data)
    assert "vượt tổng mức đầu tư" in too_much.content.decode()
