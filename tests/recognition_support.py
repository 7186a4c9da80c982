"""Helpers shared by the recognition tests: the QĐ 318 set, stored evaluations, a walk
through the procedure, and the conditions recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from nongthon.recognition import services
from nongthon.recognition.rules import procedure

DATA = Path(__file__).resolve().parents[1] / "src/nongthon/catalogue/data"
D = dt.date(2023, 9, 1)


def load_qd318():
    from nongthon.catalogue.services import load_set_file

    return load_set_file(DATA / "qd318-xa-ntm.yaml").criteria_set


def evaluate(unit, criteria_set, year=2023, failing=()):
    """A stored evaluation with `failing` criterion numbers not met (criterion 10 is key)."""
    from nongthon.assessment.models import CriterionResult, Evaluation

    numbers = list(criteria_set.criteria.values_list("number", "name", "is_key"))
    evaluation, _ = Evaluation.objects.update_or_create(
        unit=unit,
        year=year,
        criteria_set=criteria_set,
        defaults={
            "met_count": len(numbers) - len(failing),
            "total": len(numbers),
            "all_met": not failing,
            "result": {
                "criteria": [
                    {"number": n, "name": name, "status": "unmet" if n in failing else "met"}
                    for n, name, _k in numbers
                ]
            },
        },
    )
    evaluation.criterion_results.all().delete()
    for n, _name, key in numbers:
        CriterionResult.objects.create(
            evaluation=evaluation,
            criterion_number=n,
            status="unmet" if n in failing else "met",
            reason=f"TC{n}: 60% < 80% (minh họa)" if n in failing else "đạt",
            is_key=key,
        )
    return evaluation


def walk(app, until="decision", user=None):
    for config in procedure(app.procedure).steps:
        if config.code == until:
            break
        app = services.complete_step(
            user,
            app,
            expected_version=None,
            done_on=D,
            posting_count=config.min_postings,
            posting_days=config.within_days,
        )
    return app


def conditions_met(app):
    app = services.record_satisfaction(
        None, app, percent=Decimal("91"), meets=True, expected_version=None
    )
    app = services.record_security(
        None, app, confirmed=True, basis="CV 1/CAT", expected_version=None
    )
    return services.record_manual_debt(
        None, app, amount=Decimal(0), basis="Báo cáo huyện", expected_version=None
    )


def decision_data(number="1/QĐ-UBND"):
    return services.DecisionData(number, dt.date(2023, 12, 20), "Chủ tịch", "UBND tỉnh Hậu Giang")
