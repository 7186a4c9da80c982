"""Every OCOP page renders for those who may see it, and answers 404 (another area) or 403
(a decision refused on a visible record) to the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nongthon.ocop import certificates as cd
from nongthon.ocop import services
from nongthon.ocop.models import ScoreSheet
from tests.conftest import client_for
from tests.ocop_support import council_with, producer_at, product_of, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vi_binh, hau_giang):
    council, users = council_with(hau_giang)
    product = product_of(producer_at(vi_binh))
    evaluation = scored(product, council, users, 80, dt.date(2024, 1, 10), sheet_number=1)
    cert = services.issue_certificate(
        None, evaluation=evaluation, decision_no="7/QĐ-UBND", decision_date=dt.date(2024, 1, 20)
    )
    services.send_reminders(cd.reevaluation_window(cert.valid_until).opens)
    return {
        "council": council,
        "users": users,
        "product": product,
        "evaluation": evaluation,
        "cert": cert,
    }


def pages(world) -> list[str]:
    product, evaluation = world["product"], world["evaluation"]
    sheet = ScoreSheet.objects.get(rule="qd26-2026", number=1)
    return [
        reverse("ocop:products"),
        reverse("ocop:product", args=[product.pk]),
        reverse("ocop:product_edit", args=[product.pk]),
        reverse("ocop:producer_edit", args=[product.producer_id]),
        reverse("ocop:product_new", args=[product.producer_id]),
        reverse("ocop:sheets"),
        reverse("ocop:sheet", args=[sheet.pk]),
        reverse("ocop:sheet_download", args=[sheet.pk]),
        reverse("ocop:councils"),
        reverse("ocop:council", args=[world["council"].pk]),
        reverse("ocop:round", args=[evaluation.round_id]),
        reverse("ocop:result", args=[evaluation.pk]),
        reverse("ocop:revoke", args=[world["cert"].pk]),
        reverse("ocop:expiring"),
    ]


def test_every_page_renders_for_the_province(world, province_coordinator):
    client = client_for(province_coordinator)
    for url in pages(world):
        assert client.get(url).status_code == 200, url


def test_result_page_shows_parts_star_and_rule(world, province_coordinator):
    page = client_for(province_coordinator).get(
        reverse("ocop:result", args=[world["evaluation"].pk])
    )
    text = page.content.decode()
    assert "QĐ 148/QĐ-TTg" in text and 'data-testid="parts"' in text and "4 sao" in text


def test_pages_of_another_area_are_404(world, other_commune_officer):
    client = client_for(other_commune_officer)
    product, evaluation = world["product"], world["evaluation"]
    for url in (
        reverse("ocop:product", args=[product.pk]),
        reverse("ocop:product_edit", args=[product.pk]),
        reverse("ocop:producer_edit", args=[product.producer_id]),
        reverse("ocop:result", args=[evaluation.pk]),
        reverse("ocop:revoke", args=[world["cert"].pk]),
        reverse("ocop:council", args=[world["council"].pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_commune_officer_sees_but_does_not_decide(world, commune_officer):
    client = client_for(commune_officer)
    evaluation = world["evaluation"]
    assert client.get(reverse("ocop:result", args=[evaluation.pk])).status_code == 200
    assert client.get(reverse("ocop:revoke", args=[world["cert"].pk])).status_code == 403
    response = client.post(reverse("ocop:result", args=[evaluation.pk]), {"action": "central"})
    assert response.status_code == 403


def test_only_admins_change_sheets(world, province_coordinator):
    sheet = ScoreSheet.objects.get(rule="qd26-2026", number=1)
    url = reverse("ocop:sheet", args=[sheet.pk])
    page = client_for(province_coordinator).get(url)
    assert b'data-testid="sheet-form"' not in page.content
    response = client_for(province_coordinator).post(
        url, {"version": sheet.version, "text": sheet.text, "reason": "x"}
    )
    assert response.status_code == 403


def test_members_see_their_council_but_not_others(world, hau_giang):
    _other, outsiders = council_with(hau_giang, members=1, prefix="ngoai")
    client = client_for(outsiders[0])
    assert client.get(reverse("ocop:council", args=[world["council"].pk])).status_code == 404
    assert (
        client_for(world["users"][0])
        .get(reverse("ocop:council", args=[world["council"].pk]))
        .status_code
        == 200
    )


def test_expiring_page_lists_window_and_reminders(
    world, province_coordinator, commune_officer, other_commune_officer
):
    page = client_for(province_coordinator).get(reverse("ocop:expiring"))
    text = page.content.decode()
    assert "Bưởi da xanh" in text and "20/01/2027" in text
    reminders = client_for(commune_officer).get(reverse("ocop:expiring")).content.decode()
    assert "UBND xã của chủ thể" in reminders
    other = client_for(other_commune_officer).get(reverse("ocop:expiring")).content.decode()
    assert "Bưởi da xanh" not in other


def test_producer_sees_its_own_result(world, vi_binh):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    user = make_user("chuthe", vi_binh, Role.OCOP_PRODUCER)
    client = client_for(user)
    url = reverse("ocop:result", args=[world["evaluation"].pk])
    assert client.get(url).status_code == 404
    services.link_producer_user(None, producer=world["product"].producer, user=user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("ocop:expiring")).status_code == 200


def test_english_pages(world, province_coordinator):
    client = client_for(province_coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("ocop:product", args=[world["product"].pk]))
    assert "Certificates" in page.content.decode()


def test_coordinator_sets_up_a_council(province_coordinator, hau_giang, commune_officer):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    member = make_user("thanhvien", hau_giang, Role.OCOP_COUNCIL)
    client = client_for(province_coordinator)
    response = client.post(
        reverse("ocop:councils"),
        {
            "name": "Hội đồng OCOP tỉnh 2026",
            "level": "province",
            "unit": hau_giang.pk,
            "members": [member.pk],
            "chair": member.pk,
        },
    )
    assert response.status_code == 302
    from nongthon.ocop.models import Council

    council = Council.objects.get(name="Hội đồng OCOP tỉnh 2026")
    assert list(council.members.all()) == [member]
    assert client_for(commune_officer).post(reverse("ocop:councils"), {}).status_code == 403
