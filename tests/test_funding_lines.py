"""Funding lines: the seed plans import from their written form and add up to the stated
totals (or the difference is shown); roll-ups equal the sum of their parts; no float anywhere."""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from nongthon.demo.funding_data import PLAN_2022_TEXT, PLAN_2023_TEXT, build_allocations
from nongthon.funding import queries, services
from nongthon.funding.models import FundingLine, LineKind
from nongthon.funding.queries import Figures

TRIEU = Decimal(10**6)
TY = Decimal(10**9)


def by_code(rows):
    return {r.source.code: r.figures for r in rows}


def test_the_2022_plan_imports_as_written_and_matches_its_total(hau_giang):
    result = services.import_plan_text(None, hau_giang, 2022, PLAN_2022_TEXT)
    assert len(result.lines) == 6
    assert result.stated.amount == Decimal(6_259_605) * TRIEU
    planned = {
        code: f.planned for code, f in by_code(queries.funds_by_source(hau_giang, 2022)).items()
    }
    assert planned["central"] == Decimal(170_914) * TRIEU
    assert planned["local"] == Decimal(217_040) * TRIEU
    assert planned["integrated"] == Decimal(149_039) * TRIEU
    assert planned["credit"] == Decimal(5_589_382) * TRIEU
    # Enterprises and people are parts of "mobilised": both lines count there.
    assert planned["mobilised"] == Decimal(16_918 + 116_312) * TRIEU
    detailed = by_code(queries.funds_by_source(hau_giang, 2022, detailed=True))
    assert detailed["enterprise"].planned == Decimal(16_918) * TRIEU
    assert detailed["people"].planned == Decimal(116_312) * TRIEU
    (check,) = queries.stated_checks(hau_giang, 2022)
    assert check.matches and check.difference == 0


def test_the_2023_plan_in_billions_adds_up_to_its_stated_total(hau_giang):
    services.import_plan_text(None, hau_giang, 2023, PLAN_2023_TEXT)
    (check,) = queries.stated_checks(hau_giang, 2023)
    assert check.stated.amount == Decimal("14348.283") * TY
    assert (
        check.computed
        == (
            Decimal("101.903")
            + Decimal("559.912")
            + Decimal("228.438")
            + 13_237
            + Decimal("221.03")
        )
        * TY
    )
    assert check.matches
    assert queries.funding_figures(hau_giang, 2023).planned == check.stated.amount


def test_a_total_that_does_not_add_up_shows_the_difference(hau_giang):
    text = PLAN_2022_TEXT.replace("Vốn tín dụng: 5.589.382", "Vốn tín dụng: 5.589.380")
    services.import_plan_text(None, hau_giang, 2022, text)
    (check,) = queries.stated_checks(hau_giang, 2022)
    assert not check.matches
    assert check.difference == Decimal(-2) * TRIEU


def test_an_unreadable_plan_is_refused_whole_with_each_bad_line(hau_giang):
    text = PLAN_2022_TEXT.replace("170.914 triệu", "170.91 triệu").replace(
        "Vốn lồng ghép", "Vốn từ trên trời"
    )
    with pytest.raises(ValidationError) as caught:
        services.import_plan_text(None, hau_giang, 2022, text)
    messages = caught.value.messages
    assert any(m.startswith("Dòng 2:") and "hàng nghìn" in m for m in messages)
    assert any(m.startswith("Dòng 4:") and "Vốn từ trên trời" in m for m in messages)
    assert not FundingLine.objects.exists()


def test_roll_ups_equal_the_sum_of_their_parts(hau_giang, vi_thuy, vi_binh, vi_dong):
    services.import_plan_text(None, hau_giang, 2022, PLAN_2022_TEXT)
    build_allocations(hau_giang)
    for commune, amount in ((vi_binh, "1.234,5 triệu đồng"), (vi_dong, "987 triệu đồng")):
        services.record_line(None, commune, 2022, "local-commune", LineKind.ALLOCATED, amount)
        services.record_line(None, commune, 2022, "people-labour", LineKind.MOBILISED, amount)
    province = queries.funding_figures(hau_giang, 2022)
    parts = queries.funding_by_part(hau_giang, 2022)
    assert sum((p.figures for p in parts), Figures()) == province
    district = queries.funding_figures(vi_thuy, 2022)
    assert next(p for p in parts if p.unit == vi_thuy).figures == district
    communes = queries.funding_by_part(vi_thuy, 2022)
    assert sum((p.figures for p in communes), Figures()) == district
    assert (
        next(p for p in communes if p.unit == vi_binh).figures.mobilised
        == Decimal("1234.5") * TRIEU
    )
    # Sources: the top-level rows add up to the total, for every kind.
    rows = queries.funds_by_source(hau_giang, 2022)
    assert sum((r.figures for r in rows), Figures()) == province


def test_the_disbursement_rate_is_exact(hau_giang):
    build = services.record_line
    build(None, hau_giang, 2022, "central", LineKind.ALLOCATED, "3 tỷ đồng")
    build(
        None,
        hau_giang,
        2022,
        "central",
        LineKind.DISBURSED,
        "1 tỷ đồng",
        on_date=dt.date(2022, 5, 1),
    )
    figures = queries.funding_figures(hau_giang, 2022)
    assert figures.disbursement_rate == Decimal("33.3")
    assert Figures().disbursement_rate is None
    by_month = dict(queries.cumulative_by_month(hau_giang, 2022, LineKind.DISBURSED))
    assert by_month[4] == 0 and by_month[5] == by_month[12] == TY


def test_a_line_dated_outside_its_year_is_refused(hau_giang):
    with pytest.raises(ValidationError) as caught:
        services.record_line(
            None,
            hau_giang,
            2022,
            "central",
            LineKind.DISBURSED,
            "1 tỷ",
            on_date=dt.date(2023, 1, 2),
        )
    assert "on_date" in caught.value.error_dict


def test_only_the_units_editors_record_lines(vi_binh, long_tri, commune_officer, viewer):
    services.record_line(
        commune_officer, vi_binh, 2022, "local-commune", LineKind.PLANNED, "5 triệu"
    )
    with pytest.raises(PermissionDenied):
        services.record_line(
            commune_officer, long_tri, 2022, "local-commune", LineKind.PLANNED, "5 triệu"
        )
    with pytest.raises(PermissionDenied):
        services.record_line(viewer, vi_binh, 2022, "local-commune", LineKind.PLANNED, "5 triệu")


def test_a_stale_edit_is_refused_with_who_changed_what(vi_binh, commune_officer, district_officer):
    line = services.record_line(
        commune_officer, vi_binh, 2022, "local-commune", LineKind.PLANNED, "5 triệu"
    )
    services.update_line(district_officer, line, 1, "6 triệu", None)
    with pytest.raises(ValidationError) as caught:
        services.update_line(commune_officer, line, 1, "7 triệu", None)
    assert caught.value.code == "stale"
    assert "Huyen" in caught.value.messages[0]
    line.refresh_from_db()
    assert line.amount == 6 * TRIEU


# --- Money is never a float --------------------------------------------------------------


def test_no_funding_model_has_a_float_field():
    for model in apps.get_app_config("funding").get_models():
        for f in model._meta.get_fields():
            assert not isinstance(f, models.FloatField), f"{model.__name__}.{f.name} is a float"


def test_no_float_in_the_funding_code():
    root = Path(__import__("nongthon.funding", fromlist=["x"]).__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                pytest.fail(f"float literal {node.value} in {path.name}:{node.lineno}")
            if isinstance(node, ast.Name) and node.id == "float":
                pytest.fail(f"float() in {path.name}:{node.lineno}")


def _walk(value):
    if isinstance(value, float):
        pytest.fail(f"float {value!r} in a funding figure")
    if isinstance(value, Figures):
        for amount in value.as_dict().values():
            assert isinstance(amount, Decimal)
    if isinstance(value, list | tuple):
        for item in value:
            _walk(item)
    if hasattr(value, "__dict__") and not isinstance(value, models.Model):
        for item in vars(value).values():
            _walk(item)


def test_every_figure_the_queries_return_is_a_decimal(hau_giang, vi_binh):
    services.import_plan_text(None, hau_giang, 2022, PLAN_2022_TEXT)
    build_allocations(hau_giang)
    _walk(queries.funds_by_source(hau_giang, 2022, detailed=True))
    _walk(queries.funding_by_part(hau_giang, 2022))
    _walk(queries.cumulative_by_month(hau_giang, 2022, LineKind.DISBURSED))
    _walk(queries.stated_checks(hau_giang, 2022))
    assert isinstance(queries.funding_figures(vi_binh, 2030).planned, Decimal)
    for line in FundingLine.objects.all():
        assert isinstance(line.amount, Decimal)


def test_the_plans_module_gets_every_source_with_decimal_figures(hau_giang, vi_binh):
    services.import_plan_text(None, hau_giang, 2023, PLAN_2023_TEXT)
    funds = queries.funds_for_plan(hau_giang, 2023)
    assert list(funds) == ["central", "local", "integrated", "credit", "mobilised", "other"]
    assert funds["credit"].planned == 13_237 * TY
    assert funds["other"] == Figures()
    assert queries.funds_for_plan(vi_binh, 2023)["credit"].planned == 0


def test_the_command_imports_a_plans_funding_section(tmp_path, hau_giang, province_coordinator):
    from io import StringIO

    from django.core.management import CommandError, call_command

    text = tmp_path / "plan.txt"
    text.write_text(PLAN_2023_TEXT, encoding="utf-8")
    out = StringIO()
    call_command("import_plan_funding", str(text), unit="93", year=2023, user="tinh", stdout=out)
    assert "Vốn tín dụng: 13.237.000 triệu đồng" in out.getvalue()
    assert "«14.348,283 tỷ đồng»: khớp" in out.getvalue()
    text.write_text("- Vốn tín dụng: 1.2 tỷ đồng", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 1"):
        call_command("import_plan_funding", str(text), unit="93", year=2023, user="tinh")
