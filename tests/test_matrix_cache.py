"""The matrix body is rendered once per state of the evaluations behind it: a second view reads
it back (fewer queries, same page), and any change the matrix shows (a value saved, a commune
re-evaluated, a commune renamed) or another view of it (sort, language) renders it anew."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongthon.assessment.evaluation import recompute_set
from tests.conftest import client_for
from tests.test_matrix import enter, matrix_url, row_order, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


@pytest.fixture
def evaluated(family, vi_binh, vi_dong, long_tri):
    enter(vi_binh, family, **{"3.1": "90", "3.2": True, "10": True})
    enter(vi_dong, family, **{"3.1": "85", "3.2": True, "10": True})
    enter(long_tri, family, **{"3.1": "70", "3.2": True, "10": True})


@pytest.fixture
def client(province_coordinator):
    return client_for(province_coordinator)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_view_reads_the_body_back(evaluated, hau_giang, family, client):
    first, first_queries = _get(client, matrix_url(hau_giang, family))
    second, second_queries = _get(client, matrix_url(hau_giang, family))
    assert text(second) == text(first)  # (the page's nonce differs)
    assert second_queries < first_queries


def test_a_saved_value_shows_at_once(evaluated, hau_giang, family, client, long_tri):
    before, _n = _get(client, matrix_url(hau_giang, family))
    assert "Long Trị" in text(before) and "1/2" in text(before)
    enter(long_tri, family, **{"3.1": "95", "3.2": True, "10": True})
    after, _n = _get(client, matrix_url(hau_giang, family))
    assert "1/2" not in text(after)


def test_a_forced_re_evaluation_renders_anew(evaluated, hau_giang, family, client, tiny_set):
    first, _n = _get(client, matrix_url(hau_giang, family))
    recompute_set(tiny_set, force=True)
    again, queries = _get(client, matrix_url(hau_giang, family))
    assert text(again) == text(first)  # same figures...
    _third, cached = _get(client, matrix_url(hau_giang, family))
    assert cached < queries  # ...but read anew once, since the rows were rewritten


def test_a_renamed_commune_shows_its_new_name(evaluated, hau_giang, family, client, vi_binh):
    _get(client, matrix_url(hau_giang, family))
    vi_binh.name = "Xã Vị Bình Mới"
    vi_binh.save()
    after, _n = _get(client, matrix_url(hau_giang, family))
    assert "Xã Vị Bình Mới" in text(after)


def test_each_sort_order_and_language_has_its_own_body(evaluated, hau_giang, family, client):
    by_code, _n = _get(client, matrix_url(hau_giang, family))
    fewest, _n = _get(client, matrix_url(hau_giang, family) + "?sort=met_asc")
    assert row_order(by_code) != row_order(fewest)
    client.cookies["django_language"] = "en"
    english, _n = _get(client, matrix_url(hau_giang, family))
    assert "Criterion" in text(english) or "communes" in text(english)
    assert text(english) != text(by_code)
