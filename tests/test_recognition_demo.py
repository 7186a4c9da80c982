"""The demo's titles agree with the seed plans: counts by tier, year and district."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.catalogue.models import Tier
from nongthon.demo.builder import build_criteria, build_recognition
from nongthon.recognition import queries
from nongthon.recognition.models import Application, ApplicationStatus, Title
from nongthon.recognition.rules import procedure


@pytest.fixture
def demo(db, hau_giang):
    say = lambda _text: None  # noqa: E731
    build_criteria(say)
    build_recognition(say)
    return hau_giang


def names(titles) -> set[str]:
    return {t.unit.short_name for t in titles}


def test_start_of_2022_has_35_ntm_and_5_nang_cao(demo):
    counts = queries.count_titles_held(demo, dt.date(2021, 12, 31))
    assert counts[Tier.NTM] == 35
    assert counts[Tier.NANG_CAO] == 5
    assert counts[Tier.KIEU_MAU] == 0


def test_end_of_2022_has_37_of_51_ntm_and_7_nang_cao(demo):
    counts = queries.count_titles_held(demo, dt.date(2022, 12, 31))
    assert (counts[Tier.NTM], queries.rural_communes(demo).count()) == (37, 51)
    assert round(counts[Tier.NTM] * 100 / 51, 1) == 72.5
    assert counts[Tier.NANG_CAO] == 7
    assert counts[Tier.KIEU_MAU] == 0


def test_granted_in_2022_are_the_seed_communes(demo):
    assert names(queries.titles_granted(demo, 2022, Tier.NTM)) == {"Tân Phú", "Hiệp Hưng"}
    assert names(queries.titles_granted(demo, 2022, Tier.NANG_CAO)) == {"Long Trị A", "Thuận Hưng"}


def test_granted_in_2023_are_the_seed_communes(demo):
    assert names(queries.titles_granted(demo, 2023, Tier.NTM)) == {"Phú Hữu", "Phú Tân", "Vị Bình"}
    assert names(queries.titles_granted(demo, 2023, Tier.NANG_CAO)) == {
        "Vị Tân", "Nhơn Nghĩa A", "Vị Thanh", "Đông Phước A", "Phương Phú"
    }  # fmt: skip
    assert names(queries.titles_granted(demo, 2023, Tier.KIEU_MAU)) == {
        "Thạnh Xuân", "Đại Thành", "Hỏa Tiến"
    }  # fmt: skip
    counts = queries.count_titles_held(demo, dt.date(2023, 12, 31))
    assert (counts[Tier.NTM], counts[Tier.NANG_CAO], counts[Tier.KIEU_MAU]) == (40, 12, 3)


def test_counts_by_year_and_district_add_up(demo):
    by_year = queries.counts_granted_by_year(demo)
    assert by_year[2022] == {**dict.fromkeys(Tier.values, 0), Tier.NTM: 2, Tier.NANG_CAO: 2}
    assert by_year[2023][Tier.NTM] == 3 and by_year[2023][Tier.NANG_CAO] == 5
    rows = queries.counts_by_district(demo, dt.date(2022, 12, 31))
    assert sum(r.communes for r in rows) == 51
    assert sum(r.counts[Tier.NTM] for r in rows) == 37
    chau_thanh = next(r for r in rows if r.district.code == "933")
    # Phú Hữu and Phú Tân were not yet recognised at the end of 2022.
    assert chau_thanh.counts[Tier.NTM] == chau_thanh.communes - 2


def test_titles_agree_with_the_stored_evaluations(demo):
    for title in Title.objects.filter(year__in=[2022, 2023]):
        assert title.snapshot["all_met"], title
        assert title.snapshot["year"] == title.year


def test_one_application_in_progress_at_each_step(demo):
    open_apps = Application.objects.exclude(status=ApplicationStatus.DECIDED)
    steps = sorted(a.current_step for a in open_apps)
    assert steps == sorted(s.code for s in procedure("qd18-2022-xa").steps)


def test_one_commune_flagged_for_revocation(demo):
    rows = queries.maintenance_review(demo, 2023)
    assert [(r.title.unit.short_name, r.status) for r in rows] == [("Tân Phú Thạnh", "revoke")]
