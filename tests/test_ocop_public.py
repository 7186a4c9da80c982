"""The public catalogue: no login, search and filters, a product page with certificate status,
QR codes (PNG and SVG) that decode to the page, and nothing private on any public page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from nongthon.ocop import services
from tests.ocop_support import (
    SECRET_EMAIL,
    SECRET_PHONE,
    council_with,
    producer_at,
    product_of,
    scored,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def catalogue(vi_binh, long_tri, hau_giang, settings):
    council, users = council_with(hau_giang, level="central")
    district, d_users = council_with(long_tri.district, level="district", prefix="h")
    # A comment only members see: must never reach the public page.
    pomelo = product_of(producer_at(vi_binh))
    ev = scored(pomelo, council, users, 100, dt.date(2026, 6, 10))
    ev.scores.update(comment="Nhận xét nội bộ của hội đồng")
    services.issue_certificate(
        None, evaluation=ev, decision_no="123/QĐ-UBND", decision_date=dt.date(2026, 6, 20)
    )
    custard = product_of(
        producer_at(
            long_tri,
            name="Tổ hợp tác Mãng cầu Long Trị",
            contacts_public=True,
            phone="0292 111 222",
        ),
        name="Mãng cầu xiêm",
        rule="qd148-2023",
        number=1,
    )
    ev2 = scored(custard, district, d_users, 60, dt.date(2023, 5, 1))
    services.issue_certificate(
        None, evaluation=ev2, decision_no="55/QĐ-UBND", decision_date=dt.date(2023, 5, 10)
    )  # expired 10/5/2026
    hidden = product_of(producer_at(vi_binh, name="Hộ ông B"), name="Khô cá lóc")
    return {"pomelo": pomelo, "custard": custard, "hidden": hidden, "council": council}


def anonymous() -> Client:
    return Client()


def test_catalogue_lists_certified_products_without_login(catalogue):
    response = anonymous().get(reverse("ocop:public_catalogue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bưởi da xanh" in text and "Mãng cầu xiêm" in text
    assert "Khô cá lóc" not in text  # not certified: not in the catalogue


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "buoi"}, {"Bưởi da xanh"}),
        ({"q": "mang cau long tri"}, {"Mãng cầu xiêm"}),
        ({"star": "5"}, {"Bưởi da xanh"}),
        ({"star": "3"}, {"Mãng cầu xiêm"}),
        ({"star": "4"}, set()),
    ],
)
def test_search_and_filters(catalogue, query, found):
    response = anonymous().get(reverse("ocop:public_catalogue"), query)
    names = {p.name for p, _cert in response.context["rows"]}
    assert names == found


def test_filter_by_district_and_commune(catalogue, vi_binh, long_tri):
    url = reverse("ocop:public_catalogue")
    rows = anonymous().get(url, {"district": long_tri.district_id}).context["rows"]
    assert [p.name for p, _ in rows] == ["Mãng cầu xiêm"]
    rows = anonymous().get(url, {"commune": vi_binh.pk}).context["rows"]
    assert [p.name for p, _ in rows] == ["Bưởi da xanh"]
    rows = anonymous().get(url, {"group": "Thực phẩm"}).context["rows"]
    assert [p.name for p, _ in rows] == ["Mãng cầu xiêm"]


def test_product_page_shows_validity_and_hides_private_data(catalogue):
    page = anonymous().get(reverse("ocop:public_product", args=[catalogue["pomelo"].public_id]))
    text = page.content.decode()
    assert "HTX Bưởi Vị Bình" in text and "123/QĐ-UBND" in text
    assert 'data-status="valid"' in text
    for private in (
        SECRET_PHONE,
        SECRET_EMAIL,
        "6300123456",
        "Nguyễn Văn A",
        "Nhận xét nội bộ",
        catalogue["council"].name,
        "Hd0",
        "Tổng điểm",
        "100,00",
        "100.00",
    ):
        assert private not in text, private


def test_public_contacts_show_only_when_the_producer_chose_so(catalogue):
    page = anonymous().get(reverse("ocop:public_product", args=[catalogue["custard"].public_id]))
    assert "0292 111 222" in page.content.decode()


def test_expired_star_is_marked(catalogue):
    page = anonymous().get(reverse("ocop:public_product", args=[catalogue["custard"].public_id]))
    text = page.content.decode()
    assert 'data-status="expired"' in text and 'data-testid="struck-star"' in text


def test_uncertified_product_is_not_public(catalogue):
    url = reverse("ocop:public_product", args=[catalogue["hidden"].public_id])
    assert anonymous().get(url).status_code == 404


def _decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1
    return results[0].text


def test_qr_png_decodes_to_the_public_page(catalogue):
    product = catalogue["pomelo"]
    response = anonymous().get(reverse("ocop:public_qr", args=[product.public_id, "png"]))
    assert response["Content-Type"] == "image/png"
    url = _decode_png(response.content)
    assert url == "http://testserver" + reverse("ocop:public_product", args=[product.public_id])
    assert anonymous().get(url.removeprefix("http://testserver")).status_code == 200


def test_qr_svg_holds_the_same_code(catalogue):
    """The SVG, rasterised by the matrix segno drew it from, decodes to the same URL."""
    import segno

    product = catalogue["pomelo"]
    response = anonymous().get(reverse("ocop:public_qr", args=[product.public_id, "svg"]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content
    url = "http://testserver" + reverse("ocop:public_product", args=[product.public_id])
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8)
    assert _decode_png(out.getvalue()) == url
    # The served SVG is exactly that matrix drawn as SVG (segno output is deterministic).
    from nongthon.ocop import qr

    assert response.content == qr.svg(url)


def test_printable_label(catalogue):
    page = anonymous().get(reverse("ocop:public_label", args=[catalogue["pomelo"].public_id]))
    assert page.status_code == 200 and b"qr.svg" in page.content


def test_public_pages_render_vietnamese_dates(catalogue):
    page = anonymous().get(reverse("ocop:public_product", args=[catalogue["pomelo"].public_id]))
    assert "20/06/2029" in page.content.decode()
