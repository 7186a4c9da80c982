"""A request carrying NUL (in the path, a query parameter or a posted field) is refused before
any view: 400 with a message, and in the API's own JSON error shape under /api/."""

from __future__ import annotations

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_page_refuses_nul_in_a_parameter(province_coordinator):
    response = client_for(province_coordinator).get("/units/", {"q": "Vị\x00Bình"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "ký tự NUL" in response.content.decode()


def test_a_form_refuses_nul_in_a_posted_field(province_coordinator):
    response = client_for(province_coordinator).post("/units/", {"name": "a\x00b"})
    assert response.status_code == 400


def test_the_api_refuses_nul_in_its_own_error_shape(province_coordinator):
    response = client_for(province_coordinator).get("/api/v1/units", {"\x00key": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_request"
    assert "NUL" in response.json()["message"]
