"""What a provincial system would do with the API alone: load Hậu Giang's 2023 indicator values
for its 51 xã (the demo's illustrative values, built here as a file, never written to the
database directly) and read back the province summary the results page shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from nongthon.assessment import queries
from nongthon.catalogue.services import load_set_file
from nongthon.catalogue.specs import spec_for
from nongthon.demo import assessment_data as demo
from tests.api_support import api_as

pytestmark = pytest.mark.django_db
SETS = Path(__file__).resolve().parents[1] / "src" / "nongthon" / "catalogue" / "data"
FAMILY, YEAR = "qd318-xa-ntm", 2023


def hau_giang_2023_rows(criteria_set) -> list[dict]:
    """The demo's 2023 values as import rows (the same rule as demo.build_values)."""
    spec = spec_for(criteria_set)
    rows = []
    for commune in demo.hau_giang_xa():
        failing = set(demo.FAILING_ORDER[: 19 - demo.criteria_met(commune.short_name, YEAR)])
        for criterion in spec.criteria:
            for position, indicator in enumerate(criterion.indicators):
                passing = not (criterion.number in failing and position == 0)
                value = demo._value(indicator, passing, "DBSCL", YEAR)
                rows.append(
                    {
                        "edition": commune.edition,
                        "unit_code": commune.code,
                        "year": YEAR,
                        "family": FAMILY,
                        "indicator_code": indicator.code,
                        "value": next(
                            (str(value[k]) if k == "value_number" else value[k])
                            for k in ("value_bool", "value_number", "value_text")
                            if k in value
                        )
                        if "hand_verdict" not in value
                        else None,
                        "hand_verdict": value.get("hand_verdict"),
                        "hand_reason": value.get("hand_reason"),
                    }
                )
    return rows


def test_a_script_loads_hau_giang_2023_and_reads_the_province_summary(
    province_coordinator, hau_giang
):
    criteria_set = load_set_file(SETS / f"{FAMILY}.yaml").criteria_set
    client = api_as(province_coordinator)
    me = client.get("/me").json()
    assert me["memberships"][0]["unit"]["code"] == "93"
    province = client.get("/units", {"edition": "pre2025", "level": "province", "code": "93"})
    unit_id = province.json()["items"][0]["id"]
    assert unit_id == hau_giang.pk

    rows = hau_giang_2023_rows(criteria_set)
    loaded = client.post("/values/import", {"rows": rows})
    assert loaded.status_code == 200, loaded.json()
    assert loaded.json()["rows"] == len(rows)
    assert len(loaded.json()["units"]) == 51

    summary = client.get("/evaluations/summary", {"unit": unit_id, "year": YEAR, "family": FAMILY})
    assert summary.status_code == 200
    body = summary.json()
    page = queries.summary_figures(hau_giang, YEAR, FAMILY)  # what the results page renders
    assert (body["communes"], body["all_met"], body["below_15"], body["at_least_14"]) == (
        page.total,
        page.all_met,
        page.below_15,
        page.at_least_14,
    )
    assert body["average"] == str(page.average)
    assert body["all_met_percent"] == str(page.all_met_percent)
    totals = queries.criterion_totals(hau_giang, page.criteria_set, YEAR)
    assert [(c["number"], c["met"], c["not_met"]) for c in body["criteria"]] == [
        (t.number, t.met, t.not_met) for t in totals
    ]
    # The seed plans' 2023 figures: Phú Hữu, Phú Tân and Vị Bình reach 19/19, so 40 of 51.
    assert (body["communes"], body["all_met"]) == (51, 40)
    # A second run of the same script changes nothing.
    assert client.post("/values/import", {"rows": rows}).json()["changed"] == 0
