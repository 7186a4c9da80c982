"""Report forms and the default schedule as data: every rule and form says where it comes from,
the deadlines the reference lacks are marked unverified, and the period arithmetic gives the
deadlines the issue names (10th of the month, of the quarter's last month, 10/6, 10/12; 12/6 and
12/12 for departments; the 20th for the monthly progress to the department of agriculture)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nongthon.reporting import definitions as defs
from nongthon.reporting.figures import known_keys
from nongthon.reporting.periods import deadline_for, period_label, periods_of


def rule(code: str) -> defs.Rule:
    return next(r for r in defs.default_schedule().rules if r.code == code)


def deadlines(code: str, year: int = 2023) -> list[dt.date]:
    return [p.deadline for p in periods_of(rule(code), year)]


def test_every_rule_and_form_names_its_source_and_no_deadline_claims_to_be_verified():
    schedule = defs.default_schedule()
    assert len(schedule.rules) == 11
    for r in schedule.rules:
        assert r.source, r.code
        # The deadlines come from the issue only, not from the seeds or the reference.
        assert r.verified is False, r.code
        assert "issue 8" in r.source.lower(), r.code
    for form in defs.forms().values():
        assert form.legal_basis and form.source
        assert all(section.source for section in form.sections)
    assert schedule.adhoc_source


def test_every_computed_figure_has_a_computation_and_every_form_is_used():
    for form in defs.forms().values():
        for figure in form.figures:
            if figure.kind in ("compute", "table"):
                assert (figure.compute or figure.table) in known_keys(), figure.code
    used = {r.form for r in defs.default_schedule().rules} | set(
        defs.default_schedule().adhoc_forms
    )
    assert used == set(defs.forms())


def test_communes_and_districts_monthly_before_the_10th():
    assert deadlines("xa-thang") == [dt.date(2023, m, 10) for m in range(1, 13)]
    assert deadlines("huyen-thang") == deadlines("xa-thang")
    assert rule("xa-thang").unit_kinds == ("xa",)


def test_quarterly_before_the_10th_of_the_last_month_of_the_quarter():
    assert deadlines("xa-quy") == [dt.date(2023, m, 10) for m in (3, 6, 9, 12)]
    assert deadlines("huyen-quy") == deadlines("xa-quy")


def test_six_monthly_before_10_6_and_yearly_before_10_12():
    assert deadlines("xa-6-thang") == [dt.date(2023, 6, 10)]
    assert deadlines("huyen-nam") == [dt.date(2023, 12, 10)]


def test_departments_six_monthly_before_12_6_and_yearly_before_12_12():
    assert deadlines("so-6-thang") == [dt.date(2023, 6, 12)]
    assert deadlines("so-nam") == [dt.date(2023, 12, 12)]
    assert rule("so-nam").submitters == defs.DEPARTMENT


def test_monthly_progress_to_the_department_of_agriculture_before_the_20th():
    r = rule("huyen-tien-do-so-nn")
    assert r.recipient == "so-nnptnt"
    assert deadlines(r.code) == [dt.date(2023, m, 20) for m in range(1, 13)]


def test_a_deadline_past_the_month_end_is_the_last_day_and_months_after_rolls_the_year():
    assert deadline_for(dt.date(2023, 2, 28), 31, 0) == dt.date(2023, 2, 28)
    assert deadline_for(dt.date(2023, 12, 31), 10, 1) == dt.date(2024, 1, 10)


def test_skipped_months_and_second_halves_are_configuration():
    data = {**rule("xa-thang").as_dict(), "skip_months": [3, 6, 9, 12]}
    assert len(periods_of(defs.Rule.from_dict(data), 2023)) == 8
    data = {**rule("xa-6-thang").as_dict(), "halves": [1, 2]}
    assert deadlines_of(defs.Rule.from_dict(data)) == [dt.date(2023, 6, 10), dt.date(2023, 12, 10)]


def deadlines_of(r: defs.Rule) -> list[dt.date]:
    return [p.deadline for p in periods_of(r, 2023)]


def test_a_bad_rule_is_refused_naming_the_rule_and_the_field():
    data = {**rule("xa-thang").as_dict(), "deadline_day": 40, "form": "khong-co"}
    with pytest.raises(ValidationError) as error:
        defs.Rule.from_dict(data)
    assert set(error.value.error_dict) == {"deadline_day", "form"}
    assert "xa-thang" in error.value.error_dict["deadline_day"][0].messages[0]


def test_period_labels():
    assert period_label(defs.MONTHLY, 2023, 3) == "Tháng 3/2023"
    assert period_label(defs.QUARTERLY, 2023, 2) == "Quý II/2023"
    assert period_label(defs.HALF_YEARLY, 2023, 1) == "6 tháng đầu năm 2023"
    assert period_label(defs.YEARLY, 2023, 1) == "Năm 2023"


def test_the_form_survives_a_round_trip_through_a_snapshot():
    form = defs.form("ntm-ocop-dinh-ky")
    assert defs.FormDef.from_dict(form.as_dict()) == form
