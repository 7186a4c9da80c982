"""Producers and products: who edits what (a producer account only its own products), photos
checked by content and size, product codes, stale saves refused, another area's page a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.ocop import services
from tests.conftest import client_for, make_user
from tests.ocop_support import council_with, producer_at, product_of, scored

pytestmark = pytest.mark.django_db

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def own(vi_binh):
    producer = producer_at(vi_binh)
    user = make_user("chuthe", vi_binh, Role.OCOP_PRODUCER)
    services.link_producer_user(None, producer=producer, user=user)
    return producer, product_of(producer), user


def test_producer_user_edits_only_its_own_products(own, vi_binh):
    producer, product, user = own
    other = product_of(producer_at(vi_binh, name="HTX khác"), name="Khóm")
    saved = services.save_product(
        user,
        product=product,
        expected_version=product.version,
        name="Bưởi da xanh Vị Bình",
        commune=vi_binh,
        rule="qd26-2026",
        sheet_number=1,
        stage="submitted",
    )
    assert saved.name == "Bưởi da xanh Vị Bình" and saved.version == 2
    with pytest.raises(PermissionDenied):
        services.save_product(
            user,
            product=other,
            expected_version=other.version,
            name="x",
            commune=vi_binh,
            rule="qd26-2026",
            sheet_number=1,
        )
    client = client_for(user)
    assert client.get(reverse("ocop:product", args=[product.pk])).status_code == 200
    assert client.get(reverse("ocop:product", args=[other.pk])).status_code == 404
    assert client.get(reverse("ocop:product_edit", args=[other.pk])).status_code == 404


def test_a_producer_role_alone_is_not_enough(vi_binh):
    producer = producer_at(vi_binh)
    product = product_of(producer)
    stranger = make_user("chuthekhac", vi_binh, Role.OCOP_PRODUCER)
    with pytest.raises(PermissionDenied):
        services.save_product(
            stranger,
            product=product,
            expected_version=1,
            name="x",
            commune=vi_binh,
            rule="qd26-2026",
            sheet_number=1,
        )


def test_officers_see_their_area_only(
    own, commune_officer, other_commune_officer, district_officer, province_coordinator
):
    _producer, product, _user = own
    url = reverse("ocop:product", args=[product.pk])
    for user in (commune_officer, district_officer, province_coordinator):
        assert client_for(user).get(url).status_code == 200
    assert client_for(other_commune_officer).get(url).status_code == 404


def test_stale_product_save_is_refused_with_who_and_what(own, vi_binh, commune_officer):
    _producer, product, user = own
    services.save_product(
        commune_officer,
        product=product,
        expected_version=1,
        name="Bưởi năm roi",
        commune=vi_binh,
        rule="qd26-2026",
        sheet_number=1,
    )
    with pytest.raises(ValidationError, match="Bưởi năm roi") as info:
        services.save_product(
            user,
            product=product,
            expected_version=1,
            name="Bưởi khác",
            commune=vi_binh,
            rule="qd26-2026",
            sheet_number=1,
        )
    assert info.value.code == "stale"


def test_unknown_sub_group_is_refused(own, vi_binh):
    _producer, product, _user = own
    with pytest.raises(ValidationError) as info:
        services.save_product(
            None,
            product=product,
            expected_version=1,
            name="x",
            commune=vi_binh,
            rule="qd148-2023",
            sheet_number=99,
        )
    assert "sheet_number" in info.value.error_dict


def test_classification_comes_from_the_sheet(own):
    _producer, product, _user = own
    assert (product.industry, product.group, product.subgroup) == (
        "I. Thực phẩm",
        "Thực phẩm tươi sống",
        "Rau, củ, quả, hạt tươi",
    )


def test_photo_png_accepted_and_fake_refused(own):
    _producer, product, user = own
    photo = services.add_photo(
        user, product=product, upload=SimpleUploadedFile("buoi.png", PNG_BYTES)
    )
    assert photo.content_type == "image/png"
    with pytest.raises(ValidationError, match="không phải PNG"):
        services.add_photo(
            user, product=product, upload=SimpleUploadedFile("gia.png", b"%PDF-1.4 not an image")
        )
    with pytest.raises(ValidationError, match="không phải ảnh"):
        services.add_photo(
            user, product=product, upload=SimpleUploadedFile("hoso.pdf", b"%PDF-1.4 a pdf")
        )


def test_photo_size_limit(own, settings):
    _producer, product, user = own
    settings.NONGTHON_MAX_EVIDENCE_BYTES = 50
    with pytest.raises(ValidationError, match="quá lớn"):
        services.add_photo(
            user, product=product, upload=SimpleUploadedFile("lon.png", PNG_BYTES + b"\0" * 100)
        )


def test_product_code_formats_per_rule(vi_binh, hau_giang):
    council, users = council_with(hau_giang)
    old = product_of(producer_at(vi_binh), rule="qd148-2023", number=1)
    scored(old, council, users, 60, dt.date(2024, 4, 1))
    old.refresh_from_db()
    assert old.code == f"93-935-31468-{old.pk and 1}-2024"
    new = product_of(producer_at(vi_binh, name="HTX 2"), name="Mật ong", number=4)
    scored(new, council, users, 60, dt.date(2026, 7, 1))
    new.refresh_from_db()
    assert new.code == "93-31468-2-2026"


def test_producer_form_creates_in_own_commune(commune_officer, vi_binh, vi_dong):
    client = client_for(commune_officer)
    data = {"name": "HTX Mới", "kind": "htx", "tax_code": "6300999999", "commune": vi_binh.pk}
    response = client.post(reverse("ocop:producer_new") + f"?commune={vi_binh.pk}", data)
    assert response.status_code == 302
    response = client.get(reverse("ocop:producer_new") + f"?commune={vi_dong.pk}")
    assert response.status_code == 404


def test_bad_tax_code_named(vi_binh):
    with pytest.raises(ValidationError) as info:
        producer_at(vi_binh, tax_code="12AB")
    assert "tax_code" in info.value.error_dict
