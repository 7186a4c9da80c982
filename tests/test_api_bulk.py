"""Bulk exchange of indicator values and OCOP products (JSON and CSV): all rows or none, each
problem naming its row and field in Vietnamese, idempotent by natural keys, and a round trip
export → wipe → import → export that gives back the same data."""

from __future__ import annotations

import pytest

from nongthon.api.models import Scope
from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.ocop.models import Producer, Product
from tests.api_support import api_as, error_code
from tests.ocop_support import producer_at, product_of

pytestmark = pytest.mark.django_db
FAMILY = "test-xa-ntm"


def row(unit, code, value=None, **extra):
    return {"edition": unit.edition, "unit_code": unit.code, "year": 2023, "family": FAMILY,
            "indicator_code": code, "value": value, **extra}  # fmt: skip


def some_rows(vi_binh, vi_dong):
    return [
        row(vi_binh, "3.1", "85.5", note="Theo báo cáo của HTX"),
        row(vi_binh, "3.2", True),
        row(vi_binh, "10", None, hand_verdict=True, hand_reason="Biên bản thẩm định"),
        row(vi_dong, "3.1", 60),
        row(vi_dong, "3.2", False),
    ]


def test_values_import_saves_through_the_entry_use_case_and_evaluates(
    tiny_set, district_officer, vi_binh, vi_dong
):
    client = api_as(district_officer)
    response = client.post("/values/import", {"rows": some_rows(vi_binh, vi_dong)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["rows"], body["changed"]) == (5, 5)
    assert (
        IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.1").note
        == "Theo báo cáo của HTX"
    )
    assert Evaluation.objects.get(unit=vi_binh, year=2023).all_met is True
    assert Evaluation.objects.get(unit=vi_dong, year=2023).all_met is False
    value = IndicatorValue.objects.get(unit=vi_dong, indicator_code="3.1")
    assert value.history.first().history_user == district_officer


def test_importing_the_same_rows_again_changes_nothing(
    tiny_set, district_officer, vi_binh, vi_dong
):
    client = api_as(district_officer)
    client.post("/values/import", {"rows": some_rows(vi_binh, vi_dong)})
    versions = dict(IndicatorValue.objects.values_list("pk", "version"))
    again = client.post("/values/import", {"rows": some_rows(vi_binh, vi_dong)}).json()
    assert again["changed"] == 0
    assert dict(IndicatorValue.objects.values_list("pk", "version")) == versions


def test_one_bad_row_refuses_the_whole_file_naming_row_and_field(
    tiny_set, district_officer, vi_binh, vi_dong, long_tri
):
    rows = some_rows(vi_binh, vi_dong) + [
        row(vi_binh, "3.1", "abc"),  # 6: duplicate key and not a number
        row(vi_dong, "9.9", 1),  # 7: no such indicator
        row(long_tri, "3.1", 85),  # 8: outside the district
        {**row(vi_dong, "3.2", True), "year": "hai nghìn"},  # 9
        row(vi_dong, "3.1", 150) | {"unit_code": vi_dong.code, "family": FAMILY, "year": 2022},
    ]
    response = api_as(district_officer).post("/values/import", {"rows": rows})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_refused"
    where = {(e["row"], e["field"]) for e in body["errors"]}
    assert {(6, "indicator_code"), (7, "indicator_code"), (8, "unit_code"), (9, "year"),
            (10, "value")} <= where  # fmt: skip
    messages = " ".join(e["message"] for e in body["errors"])
    assert "Dòng 7, trường «indicator_code»" in messages
    assert "không có quyền" in messages and "100" in messages
    assert not IndicatorValue.objects.exists()


def test_a_read_only_token_cannot_import_and_a_viewer_is_refused_per_row(
    tiny_set, district_officer, viewer, vi_binh, vi_dong
):
    read_only = api_as(district_officer, Scope.READ).post(
        "/values/import", {"rows": some_rows(vi_binh, vi_dong)}
    )
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"
    by_viewer = api_as(viewer).post("/values/import", {"rows": some_rows(vi_binh, vi_dong)})
    assert by_viewer.status_code == 422
    assert {e["field"] for e in by_viewer.json()["errors"]} == {"unit_code"}
    assert not IndicatorValue.objects.exists()


def test_values_round_trip_json_and_csv(
    tiny_set, province_coordinator, hau_giang, vi_binh, vi_dong
):
    client = api_as(province_coordinator)
    assert client.post("/values/import", {"rows": some_rows(vi_binh, vi_dong)}).status_code == 200
    params = {"unit": hau_giang.pk, "year": 2023, "family": FAMILY}
    first_json = client.get("/values/export", params).json()
    first_csv = client.get("/values/export", params | {"format": "csv"})
    assert first_csv["Content-Type"].startswith("text/csv")
    csv_text = first_csv.content.decode()
    assert csv_text.splitlines()[0] == (
        "edition,unit_code,year,family,indicator_code,value,hand_verdict,hand_reason,note"
    )
    assert len(first_json["rows"]) == 5
    for fmt in ("json", "csv"):
        IndicatorValue.objects.all().delete()
        Evaluation.objects.all().delete()
        if fmt == "json":
            imported = client.post("/values/import", {"rows": first_json["rows"]})
        else:
            imported = client.post("/values/import.csv", csv_text, content_type="text/csv")
        assert imported.status_code == 200, imported.json()
        assert client.get("/values/export", params).json() == first_json
        assert client.get("/values/export", params | {"format": "csv"}).content.decode() == csv_text


def test_csv_errors_name_the_file_line_and_dry_run_saves_nothing(
    tiny_set, district_officer, vi_binh
):
    client = api_as(district_officer)
    header = "edition,unit_code,year,family,indicator_code,value,hand_verdict,hand_reason,note\n"
    good = f"pre2025,{vi_binh.code},2023,{FAMILY},3.1,85,,,\n"
    bad = f"pre2025,{vi_binh.code},2023,{FAMILY},3.2,có lẽ,,,\n"
    refused = client.post("/values/import.csv", header + good + bad, content_type="text/csv")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["row"] == 3
    assert refused.json()["errors"][0]["field"] == "value"
    missing = client.post("/values/import.csv", "a,b\n1,2\n", content_type="text/csv")
    assert missing.status_code == 422 and "thiếu cột" in missing.json()["message"]
    dry = client.post("/values/import.csv?dry_run=true", header + good, content_type="text/csv")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert dry.json()["units"][0]["changed"] == ["3.1"]
    assert not IndicatorValue.objects.exists()


def test_an_export_holds_only_the_callers_units(tiny_set, province_coordinator, commune_officer,
                                                 hau_giang, vi_binh, vi_dong):  # fmt: skip
    api_as(province_coordinator).post("/values/import", {"rows": some_rows(vi_binh, vi_dong)})
    client = api_as(commune_officer, Scope.READ)
    assert client.get("/values/export", {"unit": hau_giang.pk}).status_code == 404
    own = client.get("/values/export", {"unit": vi_binh.pk}).json()
    assert {r["unit_code"] for r in own["rows"]} == {vi_binh.code}


# --- OCOP products --------------------------------------------------------------------------


def product_rows(vi_binh, vi_dong):
    return [
        {"edition": "pre2025", "commune_code": vi_binh.code, "producer": "HTX Bưởi Vị Bình",
         "producer_kind": "htx", "producer_tax_code": "6300123456", "name": "Bưởi da xanh",
         "rule": "qd26-2026", "sheet_number": 1, "stage": "production",
         "description": "Bưởi trồng tại xã."},
        {"edition": "pre2025", "commune_code": vi_binh.code, "producer": "HTX Bưởi Vị Bình",
         "name": "Mứt bưởi", "rule": "qd26-2026", "sheet_number": 1},
        {"edition": "pre2025", "commune_code": vi_dong.code, "producer": "Hộ Lê Văn B",
         "producer_kind": "ho", "name": "Khô cá lóc", "rule": "qd26-2026", "sheet_number": 1},
    ]  # fmt: skip


def test_products_import_creates_producers_and_products_once(district_officer, vi_binh, vi_dong):
    client = api_as(district_officer)
    response = client.post("/ocop/products/import", {"rows": product_rows(vi_binh, vi_dong)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["producers_created"]) == ["HTX Bưởi Vị Bình", "Hộ Lê Văn B"]
    assert len(body["created"]) == 3
    product = Product.objects.get(name="Bưởi da xanh")
    assert (product.stage, product.group != "") == ("production", True)
    assert product.history.first().history_user == district_officer
    again = client.post("/ocop/products/import", {"rows": product_rows(vi_binh, vi_dong)}).json()
    assert (again["created"], again["updated"], again["producers_created"]) == ([], [], [])
    assert Product.objects.count() == 3


def test_products_import_refuses_every_bad_row_and_saves_nothing(
    commune_officer, vi_binh, long_tri
):
    rows = product_rows(vi_binh, vi_binh)[:2] + [
        {"edition": "pre2025", "commune_code": long_tri.code, "producer": "X",
         "producer_kind": "htx", "name": "Y", "rule": "qd26-2026", "sheet_number": 1},
        {"edition": "pre2025", "commune_code": vi_binh.code, "producer": "X", "name": "Z",
         "rule": "qd26-2026", "sheet_number": 77, "stage": "bay"},
    ]  # fmt: skip
    response = api_as(commune_officer).post("/ocop/products/import", {"rows": rows})
    assert response.status_code == 422
    where = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert {(3, "commune_code"), (4, "sheet_number"), (4, "stage")} <= where
    assert not Product.objects.exists() and not Producer.objects.exists()


def test_products_round_trip_json_and_csv(province_coordinator, hau_giang, vi_binh, vi_dong):
    client = api_as(province_coordinator)
    assert (
        client.post("/ocop/products/import", {"rows": product_rows(vi_binh, vi_dong)}).status_code
        == 200
    )
    first = client.get("/ocop/products/export", {"unit": hau_giang.pk}).json()
    csv_text = client.get(
        "/ocop/products/export", {"unit": hau_giang.pk, "format": "csv"}
    ).content.decode()
    assert len(first["rows"]) == 3
    for fmt in ("json", "csv"):
        Product.objects.all().delete()
        Producer.objects.all().delete()
        if fmt == "json":
            imported = client.post("/ocop/products/import", {"rows": first["rows"]})
        else:
            imported = client.post("/ocop/products/import.csv", csv_text, content_type="text/csv")
        assert imported.status_code == 200, imported.json()
        assert client.get("/ocop/products/export", {"unit": hau_giang.pk}).json() == first


def test_a_producer_account_imports_only_its_own_producers_products(vi_binh, vi_dong):
    from nongthon.ocop import services
    from tests.conftest import make_user

    producer = producer_at(vi_binh)
    product_of(producer)
    account = make_user("chuthe", vi_binh, "ocop_producer")
    services.link_producer_user(None, producer=producer, user=account)
    client = api_as(account)
    own = {
        "edition": "pre2025",
        "commune_code": vi_binh.code,
        "producer": producer.name,
        "name": "Bưởi da xanh",
        "rule": "qd26-2026",
        "sheet_number": 1,
        "stage": "promoted",
    }
    other = {"edition": "pre2025", "commune_code": vi_dong.code, "producer": "Người khác",
             "producer_kind": "ho", "name": "Khô", "rule": "qd26-2026",
             "sheet_number": 1}  # fmt: skip
    refused = client.post("/ocop/products/import", {"rows": [own, other]})
    assert refused.status_code == 422
    assert [e["row"] for e in refused.json()["errors"]] == [2]
    accepted = client.post("/ocop/products/import", {"rows": [own]})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["updated"] == ["Bưởi da xanh"]
    assert Product.objects.get(name="Bưởi da xanh").stage == "promoted"
