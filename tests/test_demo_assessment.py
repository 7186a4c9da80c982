"""The demo's Hậu Giang figures are those of the seed plans, computed from values."""

from django.db.models import Avg, Count, Q

from nongthon.assessment.models import Evaluation
from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.demo.assessment_data import build_values


def figures(criteria_set, year):
    return Evaluation.objects.filter(criteria_set=criteria_set, year=year).aggregate(
        communes=Count("pk"),
        all_met=Count("pk", filter=Q(all_met=True)),
        average=Avg("met_count"),
        below_14=Count("pk", filter=Q(met_count__lt=14)),
    )


def test_the_demo_reproduces_the_2022_and_2023_plan_figures(db):
    load_national_sets()
    qd318 = active_set("qd318-xa-ntm")
    build_values(qd318, lambda _m: None)
    end_2022 = figures(qd318, 2022)
    assert end_2022["communes"] == 51
    assert end_2022["all_met"] == 37
    assert round(end_2022["average"], 1) == 18.2
    assert end_2022["below_14"] == 0
    assert figures(qd318, 2021)["all_met"] == 35
    met_2023 = set(
        Evaluation.objects.filter(criteria_set=qd318, year=2023, all_met=True).values_list(
            "unit__short_name", flat=True
        )
    )
    assert {"Phú Hữu", "Phú Tân", "Vị Bình"} <= met_2023
    assert "Phú Hữu" not in set(
        Evaluation.objects.filter(criteria_set=qd318, year=2022, all_met=True).values_list(
            "unit__short_name", flat=True
        )
    )
