"""Whether an application may reach its decision: the QĐ 18/2022/QĐ-TTg Art. 4 conditions,
computed from stored data (evaluations, recorded survey and security results, debt), never typed.

Each condition says met / not met / unknown and the data behind it, so a refusal can name both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nongthon.assessment.models import Evaluation
from nongthon.places.models import Level
from nongthon.recognition.models import Application, StepStatus
from nongthon.recognition.rules import procedure, rules


@dataclass
class Condition:
    code: str
    label: str
    met: bool | None  # None: no data recorded yet (counts as not met for the decision)
    detail: str
    source: str = ""


def _who_when(user, when) -> str:
    name = user.display_name if user else _("Hệ thống")
    stamp = formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT") if when else ""
    return f"{name}, {stamp}".strip(", ")


def outstanding_debt(application: Application, on_date: dt.date) -> tuple[Decimal | None, str]:
    """Outstanding capital-construction debt (nợ đọng XDCB) of the unit on `on_date`, and where
    the figure comes from. The funding module answers when it records the unit's works (their
    debts and repayments); a unit whose works are not recorded there is judged on the figure a
    district or province recorded by hand on the application (None: not recorded), because no
    works on record is not evidence of no debt."""
    if apps.is_installed("nongthon.funding"):
        from nongthon.funding.queries import outstanding_debt as funding_debt
        from nongthon.funding.queries import records_works

        if records_works(application.unit):
            amount = funding_debt(application.unit, on_date)
            day = formats.date_format(on_date, "SHORT_DATE_FORMAT")
            return amount, _("theo số liệu nguồn vốn, công trình đến ngày %s") % day
    if application.manual_debt is None:
        return None, _("chưa ghi nhận số nợ đọng")
    source = _("ghi nhận thủ công (%(who)s)") % {
        "who": _who_when(application.manual_debt_by, application.manual_debt_at)
    }
    if application.manual_debt_basis:
        source += f": {application.manual_debt_basis}"
    return application.manual_debt, source


def evaluation_for(application: Application) -> Evaluation | None:
    """The stored evaluation of the application's unit and year under its set (or the latest
    version of the same family when the set was re-versioned since registration)."""
    found = Evaluation.objects.filter(
        unit=application.unit, year=application.year, criteria_set=application.criteria_set
    ).first()
    if found is None:
        found = (
            Evaluation.objects.filter(
                unit=application.unit,
                year=application.year,
                criteria_set__family=application.criteria_set.family,
            )
            .order_by("-criteria_set__version")
            .first()
        )
    return found


def _criteria(application: Application) -> Condition:
    text = rules()["commune_conditions"]["criteria"]["text"]
    basis = rules()["commune_conditions"]["basis"]
    evaluation = evaluation_for(application)
    if evaluation is None:
        return Condition(
            "criteria",
            text,
            None,
            _("Chưa có kết quả đánh giá năm %(year)s theo %(set)s.")
            % {"year": application.year, "set": application.criteria_set.name},
            basis,
        )
    failing = list(evaluation.criterion_results.exclude(status="met").order_by("criterion_number"))
    if not failing:
        return Condition(
            "criteria",
            text,
            True,
            _("Đạt %(met)s/%(total)s tiêu chí (đánh giá năm %(year)s).")
            % {"met": evaluation.met_count, "total": evaluation.total, "year": evaluation.year},
            basis,
        )
    names = {c["number"]: c["name"] for c in evaluation.result.get("criteria", [])}
    lines = "; ".join(
        f"{_('tiêu chí')} {c.criterion_number} {names.get(c.criterion_number, '')}: {c.reason}"
        for c in failing
    )
    return Condition(
        "criteria",
        text,
        False,
        _("Đạt %(met)s/%(total)s tiêu chí; chưa đạt: %(lines)s")
        % {"met": evaluation.met_count, "total": evaluation.total, "lines": lines},
        basis,
    )


def _satisfaction(application: Application) -> Condition:
    data = rules()["commune_conditions"]["satisfaction"]
    basis = rules()["commune_conditions"]["basis"]
    if application.unit.level == Level.DISTRICT:
        data = {
            **data,
            "min_percent": rules()["district_conditions"]["satisfaction"]["min_percent"],
        }
    percent = application.satisfaction_percent
    if percent is None and application.satisfaction_meets is None:
        return Condition("satisfaction", data["text"], None, _("Chưa ghi nhận kết quả."), basis)
    shown = formats.localize(percent) + "%" if percent is not None else "—"
    who = _who_when(application.satisfaction_by, application.satisfaction_at)
    if data.get("min_percent") is not None:
        threshold = Decimal(data["min_percent"])
        met = percent is not None and percent >= threshold
        detail = _("Tỷ lệ hài lòng %(p)s (yêu cầu ≥%(t)s%%); ghi nhận: %(who)s.") % {
            "p": shown,
            "t": formats.localize(threshold),
            "who": who,
        }
        return Condition("satisfaction", data["text"], met, detail, basis)
    # No numeric commune threshold in the reference: the recorded judgement decides.
    met = bool(application.satisfaction_meets)
    verdict = _("đáp ứng yêu cầu") if met else _("chưa đáp ứng yêu cầu")
    detail = _("Tỷ lệ hài lòng %(p)s, %(v)s (ghi nhận: %(who)s). %(note)s") % {
        "p": shown,
        "v": verdict,
        "who": who,
        "note": data.get("note", "").strip(),
    }
    return Condition("satisfaction", data["text"], met, detail.strip(), basis)


def _debt(application: Application, on_date: dt.date) -> Condition:
    text = rules()["commune_conditions"]["debt"]["text"]
    basis = rules()["commune_conditions"]["basis"]
    amount, source = outstanding_debt(application, on_date)
    if amount is None:
        return Condition("debt", text, None, _("Chưa có số liệu: %s.") % source, basis)
    detail = _("Nợ đọng XDCB: %(a)s triệu đồng (%(s)s).") % {
        "a": formats.localize(amount.normalize() if amount else Decimal(0)),
        "s": source,
    }
    return Condition("debt", text, amount == 0, detail, basis)


def _security(application: Application) -> Condition:
    text = rules()["commune_conditions"]["security"]["text"]
    basis = rules()["commune_conditions"]["basis"]
    if application.security_confirmed is None:
        return Condition("security", text, None, _("Chưa có xác nhận."), basis)
    who = _who_when(application.security_by, application.security_at)
    state = _("đã xác nhận") if application.security_confirmed else _("không xác nhận")
    detail = f"{state} ({who})" + (
        f": {application.security_basis}" if application.security_basis else ""
    )
    return Condition("security", text, application.security_confirmed, detail, basis)


def _steps(application: Application) -> Condition:
    proc = procedure(application.procedure)
    before = [s for s in proc.steps if s.code != proc.last.code]
    done = {s.code: s for s in application.steps.all() if s.status == StepStatus.DONE}
    pending = [s.name for s in before if s.code not in done]
    label = _("Các bước trước quyết định đã hoàn thành")
    if pending:
        return Condition(
            "steps",
            label,
            False,
            _("Chưa hoàn thành: %s.") % "; ".join(pending),
            proc.basis["number"],
        )
    posting = next((s for s in before if s.min_postings), None)
    detail = _("Đã hoàn thành %d bước.") % len(before)
    if posting is not None:
        record = done[posting.code]
        detail += " " + _("Công khai %(n)s lần trong %(d)s ngày.") % {
            "n": record.posting_count,
            "d": record.posting_days,
        }
    return Condition("steps", label, True, detail, proc.basis["number"])


def _units_below(application: Application, on_date: dt.date) -> list[Condition]:
    """A district's QĐ 320 conditions computed from its communes' titles (100% NTM, ≥10% nâng
    cao...); conditions without data here are judged outside and shown on the conditions page."""
    from nongthon.recognition.queries import conditions_report

    report = conditions_report(application.unit, on_date)
    if report is None:
        return []
    out = []
    for c in report.conditions:
        if not (c.holders or c.missing):
            continue
        detail = c.detail
        if c.missing:
            detail += " — " + _("chưa đạt: %s") % ", ".join(u.name for u in c.missing)
        out.append(Condition(f"units_{c.code}", c.text, c.met, detail, report.basis))
    return out


def check(application: Application, on_date: dt.date | None = None) -> list[Condition]:
    """Every condition for the decision, in the order the page shows them."""
    on_date = on_date or dt.date.today()
    conditions = [
        _steps(application),
        _criteria(application),
        *(_units_below(application, on_date) if application.unit.level == Level.DISTRICT else []),
        _satisfaction(application),
        _debt(application, on_date),
    ]
    if application.unit.level == Level.COMMUNE:
        conditions.append(_security(application))
    return conditions


def failing(conditions: list[Condition]) -> list[Condition]:
    return [c for c in conditions if c.met is not True]
