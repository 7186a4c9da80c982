"""Helpers for the reporting tests: Hậu Giang's schedule with its 2023 periods, stored
evaluations of the tiny set, departments, and a report filled and sent on a given day."""

from __future__ import annotations

import datetime as dt

from nongthon.accounts.models import Role
from nongthon.places.models import Agency, AgencyKind, Unit
from nongthon.reporting import services
from nongthon.reporting.models import ReportPeriod, Submission
from tests.conftest import make_user
from tests.plans_support import evaluate

NEW_YEAR_2023 = dt.date(2023, 1, 1)
TYPED = {"htx_kien_toan": "2", "nguoi_tap_huan": "1.250", "xuc_tien_thuong_mai": "1"}
TEXTS = {"ket_qua": "Hoàn thành kế hoạch tháng.", "kho_khan": "Thiếu vốn.", "de_xuat": ""}


def open_2023(province: Unit) -> Unit:
    """The default schedule of the province and its 2023 periods, opened on 1/1/2023."""
    services.ensure_periods(province, 2023, today=NEW_YEAR_2023)
    return province


def period(province: Unit, rule: str, number: int = 1, year: int = 2023) -> ReportPeriod:
    return ReportPeriod.objects.get(province=province, rule_code=rule, year=year, number=number)


def department(province: Unit, code: str, name: str) -> Agency:
    return Agency.objects.get_or_create(
        unit=province, code=code, defaults={"name": name, "kind": AgencyKind.DEPARTMENT}
    )[0]


def department_officer_of(agency: Agency, username: str):
    return make_user(username, agency.unit, Role.DEPARTMENT_OFFICER, agency)


def send(
    period: ReportPeriod,
    unit: Unit,
    on: dt.date,
    agency: Agency | None = None,
    typed: dict | None = None,
    texts: dict | None = None,
) -> Submission:
    """The unit's report for `period`, sent on day `on` (by the system: no user)."""
    submission = services.open_submission(None, period, unit, agency)
    form = period.form
    typed = typed if typed is not None else {f.code: "1" for f in form.typed_figures}
    if texts is None:
        texts = {t.code: f"{t.label} của {unit.name}" for t in form.texts}
    return services.submit(None, submission, submission.version, typed, texts, today=on)


def evaluated(tiny_set, year: int, counts: dict) -> None:
    """Stored evaluations of the tiny set (2 criteria): {commune: criteria met}."""
    evaluate(tiny_set, year, counts)
