"""Stored evaluations: recomputed when a value changes, for the affected unit only; kept with
the set version they used; recomputed on demand by the command."""

from decimal import Decimal

from django.core.management import call_command

from nongthon.assessment.evaluation import recompute_set
from nongthon.assessment.models import CriterionResult, Evaluation
from nongthon.assessment.services import ValueEntry, save_values


def enter(unit, family, **values):
    entries = [ValueEntry(code, value) for code, value in values.items()]
    return save_values(None, unit=unit, year=2023, family=family, entries=entries)


def test_saving_a_value_stores_the_units_evaluation_with_reasons(tiny_set, vi_binh):
    enter(vi_binh, tiny_set.family, **{"3.1": "78,5", "3.2": True})
    evaluation = Evaluation.objects.get(unit=vi_binh, year=2023, criteria_set=tiny_set)
    assert (evaluation.met_count, evaluation.total, evaluation.all_met) == (0, 2, False)
    criterion_3 = evaluation.result["criteria"][0]
    assert criterion_3["reason"].startswith("Tiêu chí 3 chưa đạt: 3.1 chưa đạt: 78,5% < 80%")
    assert (
        CriterionResult.objects.get(evaluation=evaluation, criterion_number=3).status == "not_met"
    )


def test_changing_one_value_changes_the_verdict_at_once(tiny_set, vi_binh):
    enter(vi_binh, tiny_set.family, **{"3.1": "78,5", "3.2": True})
    enter(vi_binh, tiny_set.family, **{"3.1": Decimal("82")})
    evaluation = Evaluation.objects.get(unit=vi_binh, year=2023, criteria_set=tiny_set)
    assert evaluation.result["criteria"][0]["status"] == "met"


def test_other_communes_are_not_recomputed_when_one_changes(tiny_set, vi_binh, vi_dong):
    enter(vi_dong, tiny_set.family, **{"3.1": "90"})
    before = Evaluation.objects.get(unit=vi_dong).computed_at
    enter(vi_binh, tiny_set.family, **{"3.1": "90"})
    assert Evaluation.objects.get(unit=vi_dong).computed_at == before


def test_the_command_recomputes_every_evaluation(tiny_set, vi_binh, vi_dong, capsys):
    enter(vi_binh, tiny_set.family, **{"3.1": "90"})
    enter(vi_dong, tiny_set.family, **{"3.1": "50"})
    Evaluation.objects.all().delete()
    call_command("evaluate", "--set", tiny_set.code)
    assert Evaluation.objects.filter(criteria_set=tiny_set, year=2023).count() == 2
    assert "test-xa-ntm v1: 2 kết quả" in capsys.readouterr().out


def test_recomputing_a_province_covers_only_units_with_values(tiny_set, vi_binh, hau_giang):
    enter(vi_binh, tiny_set.family, **{"3.1": "90"})
    assert recompute_set(tiny_set, [2023]) == 1
