"""Use cases of recognition: register, complete steps, record conditions, return and resubmit,
decide (which creates the title with its frozen evaluation), revoke, record a merger decision.

Each runs in one transaction, checks permission through accounts.permissions, refuses a save based
on an older version of the application, and leaves a timeline event and history behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.assessment.models import Evaluation
from nongthon.assessment.services import governing_set
from nongthon.catalogue.models import Tier
from nongthon.places.models import Level, Unit
from nongthon.recognition import eligibility
from nongthon.recognition.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationStep,
    Decision,
    DecisionKind,
    EventKind,
    StepStatus,
    Title,
    TitleStatus,
)
from nongthon.recognition.rules import Procedure, procedure, procedure_for_level, rules
from nongthon.web.history import changes_since

# The criteria set family each tier is judged on (2021-2025), from rules.yaml.
STALE_FIELDS = ("status", "current_step", "satisfaction_meets", "security_confirmed", "manual_debt")


@dataclass
class DecisionData:
    number: str
    date: dt.date
    signer: str
    issuer: str
    summary: str = ""


def family_for(level: str, tier: str) -> str | None:
    return rules()["maintenance_sets"].get(level, {}).get(tier)


def province_of(unit: Unit) -> Unit:
    return unit if unit.level == Level.PROVINCE else unit.province


def _check_version(application: Application, expected_version: int | None) -> None:
    if expected_version is None or expected_version == application.version:
        return
    who, what = changes_since(application, expected_version, STALE_FIELDS)
    raise ValidationError(
        _("Hồ sơ vừa được người khác cập nhật%(who)s: %(what)s. Hãy tải lại trang.")
        % {"who": who, "what": what},
        code="stale",
    )


def _save(application: Application, fields: list[str]) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version"])


def _event(application, kind, user, step="", text="", on=None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        step=step,
        actor=user,
        text=text,
        on=on or dt.date.today(),
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("unit", "criteria_set")
        .get(pk=application.pk)
    )


def _decision_fields_valid(data: DecisionData) -> None:
    errors = {}
    if not data.number.strip():
        errors["number"] = _("Cần số quyết định.")
    if not data.signer.strip():
        errors["signer"] = _("Cần người ký.")
    if not data.issuer.strip():
        errors["issuer"] = _("Cần cơ quan ban hành.")
    if data.date > dt.date.today():
        errors["date"] = _("Ngày ký không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)


def _start_step(step: ApplicationStep, proc: Procedure, on: dt.date) -> None:
    """Open a step: its deadline counts from the day it starts, when the data configures one."""
    config = proc.step(step.code)
    step.status = StepStatus.CURRENT
    step.started_on = on
    step.deadline = on + dt.timedelta(days=config.deadline_days) if config.deadline_days else None
    step.done_on = None
    step.done_by = None
    step.save()


# --- Registration and steps -----------------------------------------------------------------


def register(
    user: User | None,
    unit: Unit,
    tier: str,
    year: int,
    on: dt.date | None = None,
    illustrative: bool = False,
) -> Application:
    """A unit registers for a tier and year; the procedure for its level opens at step one."""
    if user is not None and not permissions.can_register_application(user, unit):
        raise PermissionDenied
    proc = procedure_for_level(unit.level)
    if proc is None:
        raise ValidationError(
            _("Chưa có trình tự xét công nhận cho %(level)s trong dữ liệu.")
            % {"level": unit.get_level_display().lower()}
        )
    family = family_for(unit.level, tier)
    criteria_set = governing_set(unit, family, year) if family else None
    if criteria_set is None:
        raise ValidationError(
            {"tier": _("Không có bộ tiêu chí đang áp dụng cho mức này năm %(y)s.") % {"y": year}}
        )
    held = Title.objects.filter(unit=unit, tier=tier, status=TitleStatus.ACTIVE).first()
    # A title granted under an earlier set (2016-2020, or another family) may be renewed under
    # the set in force; the new title then supersedes it.
    if held is not None and held.criteria_set and held.criteria_set.family == family:
        raise ValidationError({"tier": _("%(u)s đang giữ danh hiệu này.") % {"u": unit.name}})
    if (
        Application.objects.filter(unit=unit, tier=tier, year=year)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError({"year": _("Đã có hồ sơ cho mức và năm này.")})
    on = on or dt.date.today()
    with transaction.atomic():
        application = Application.objects.create(
            unit=unit,
            tier=tier,
            year=year,
            procedure=proc.code,
            criteria_set=criteria_set,
            current_step=proc.first.code,
            created_by=user,
            illustrative=illustrative,
        )
        for order, config in enumerate(proc.steps):
            step = ApplicationStep.objects.create(
                application=application, code=config.code, order=order
            )
            if order == 0:
                _start_step(step, proc, on)
        _event(application, EventKind.REGISTERED, user, proc.first.code, on=on)
    return application


def complete_step(
    user: User | None,
    application: Application,
    *,
    expected_version: int | None,
    done_on: dt.date | None = None,
    note: str = "",
    posting_count: int | None = None,
    posting_days: int | None = None,
) -> Application:
    """The current step's actor marks it done; the next step opens. The decision step is never
    completed here: it needs `decide`, which checks the conditions."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        proc = procedure(application.procedure)
        config = proc.step(application.current_step)
        if user is not None and not permissions.can_act_on_step(
            user, application.unit, config.actor_roles
        ):
            raise PermissionDenied
        if application.status != ApplicationStatus.IN_PROGRESS:
            raise ValidationError(
                _("Hồ sơ đang ở trạng thái «%s»: không thể hoàn thành bước.")
                % application.get_status_display()
            )
        if config.code == proc.last.code:
            raise ValidationError(_("Bước quyết định công nhận cần ghi số, ngày quyết định."))
        done_on = done_on or dt.date.today()
        step = application.steps.get(code=config.code)
        if step.started_on and done_on < step.started_on:
            raise ValidationError(
                {"done_on": _("Ngày hoàn thành không được trước ngày bắt đầu bước.")}
            )
        if config.min_postings:
            _check_posting(config, posting_count, posting_days)
            step.posting_count, step.posting_days = posting_count, posting_days
        step.status = StepStatus.DONE
        step.done_on = done_on
        step.done_by = user
        step.note = note
        step.version += 1
        step.save()
        following = proc.steps[proc.index(config.code) + 1]
        _start_step(application.steps.get(code=following.code), proc, done_on)
        application.current_step = following.code
        _save(application, ["current_step"])
        _event(application, EventKind.STEP_DONE, user, config.code, note, on=done_on)
    return application


def _check_posting(config, count: int | None, days: int | None) -> None:
    """QĐ 18/2022 Art. 5(1): posted at least 5 times within 15 days (numbers from the data)."""
    errors = {}
    if count is None or count < config.min_postings:
        errors["posting_count"] = _(
            "Cần công khai ít nhất %(n)s lần (đang ghi %(c)s lần) — %(src)s."
        ) % {"n": config.min_postings, "c": count if count is not None else 0, "src": config.source}
    if days is None or days > config.within_days or days < 1:
        errors["posting_days"] = _(
            "Số lần công khai phải trong thời hạn %(d)s ngày (đang ghi %(x)s ngày)."
        ) % {"d": config.within_days, "x": days if days is not None else "—"}
    if errors:
        raise ValidationError(errors)


def add_document(
    user: User | None,
    application: Application,
    *,
    name: str,
    number: str = "",
    date: dt.date | None = None,
    step: str | None = None,
) -> ApplicationDocument:
    """A document of the current step (or a named one), filed by the step's actor or checkers."""
    proc = procedure(application.procedure)
    step = step or application.current_step
    config = proc.step(step)
    if user is not None and not (
        permissions.can_act_on_step(user, application.unit, config.actor_roles)
        or permissions.can_return_application(user, application.unit)
    ):
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": _("Cần tên văn bản.")})
    with transaction.atomic():
        return ApplicationDocument.objects.create(
            application=application,
            step=step,
            name=name.strip(),
            number=number.strip(),
            date=date,
            added_by=user,
        )


# --- Condition data -------------------------------------------------------------------------


def record_satisfaction(
    user: User | None,
    application: Application,
    *,
    percent: Decimal | None,
    meets: bool | None,
    note: str = "",
    expected_version: int | None,
) -> Application:
    """The survey result (QĐ 18/2022 Art. 4 cond. 2): the rate and, for communes, the judgement
    whether it meets the requirement (the reference has no numeric commune threshold)."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        config = procedure(application.procedure).step("satisfaction")
        if user is not None and not (
            permissions.can_act_on_step(user, application.unit, config.actor_roles)
            or permissions.can_record_recognition_conditions(user, application.unit)
        ):
            raise PermissionDenied
        if percent is not None and not (0 <= percent <= 100):
            raise ValidationError({"percent": _("Tỷ lệ phải từ 0 đến 100.")})
        if application.unit.level == Level.COMMUNE and meets is None:
            raise ValidationError(
                {"meets": _("Cần ghi rõ kết quả đáp ứng hay chưa đáp ứng yêu cầu.")}
            )
        application.satisfaction_percent = percent
        application.satisfaction_meets = meets
        application.satisfaction_note = note
        application.satisfaction_by = user
        application.satisfaction_at = timezone.now()
        _save(
            application,
            [
                "satisfaction_percent",
                "satisfaction_meets",
                "satisfaction_note",
                "satisfaction_by",
                "satisfaction_at",
            ],
        )
        shown = formats.localize(percent) + "%" if percent is not None else "—"
        _event(application, EventKind.CONDITION, user, "satisfaction", _("Hài lòng: %s") % shown)
    return application


def record_security(
    user: User | None,
    application: Application,
    *,
    confirmed: bool,
    basis: str,
    expected_version: int | None,
) -> Application:
    """The police's word that the commune is not complicated in security and order."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        if user is not None and not permissions.can_record_recognition_conditions(
            user, application.unit
        ):
            raise PermissionDenied
        if not basis.strip():
            raise ValidationError({"basis": _("Cần căn cứ (văn bản xác nhận của Công an).")})
        application.security_confirmed = confirmed
        application.security_basis = basis.strip()
        application.security_by = user
        application.security_at = timezone.now()
        _save(application, ["security_confirmed", "security_basis", "security_by", "security_at"])
        _event(application, EventKind.CONDITION, user, "", _("An ninh, trật tự: %s") % basis)
    return application


def record_manual_debt(
    user: User | None,
    application: Application,
    *,
    amount: Decimal,
    basis: str,
    expected_version: int | None,
) -> Application:
    """Outstanding XDCB debt recorded by hand while the funding module is not installed."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        if user is not None and not permissions.can_record_recognition_conditions(
            user, application.unit
        ):
            raise PermissionDenied
        if amount < 0:
            raise ValidationError({"amount": _("Số nợ không được âm.")})
        if not basis.strip():
            raise ValidationError({"basis": _("Cần căn cứ của số liệu nợ đọng.")})
        application.manual_debt = amount
        application.manual_debt_basis = basis.strip()
        application.manual_debt_by = user
        application.manual_debt_at = timezone.now()
        _save(application, ["manual_debt", "manual_debt_basis", "manual_debt_by", "manual_debt_at"])
        _event(
            application,
            EventKind.CONDITION,
            user,
            "",
            _("Nợ đọng XDCB: %s triệu đồng") % formats.localize(amount.normalize()),
        )
    return application


# --- Return and resubmit --------------------------------------------------------------------


def return_application(
    user: User | None,
    application: Application,
    *,
    to_step: str,
    reason: str,
    expected_version: int | None,
    on: dt.date | None = None,
) -> Application:
    """A checking level sends the application back to an earlier step with its reasons; the
    steps from there on are reopened (their earlier completion stays in history and timeline)."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        if user is not None and not permissions.can_return_application(user, application.unit):
            raise PermissionDenied
        if application.status != ApplicationStatus.IN_PROGRESS:
            raise ValidationError(_("Chỉ trả lại được hồ sơ đang xét."))
        if not reason.strip():
            raise ValidationError({"reason": _("Cần ghi lý do trả lại.")})
        proc = procedure(application.procedure)
        try:
            target = proc.index(to_step)
        except ValueError:
            raise ValidationError({"to_step": _("Bước không có trong trình tự.")}) from None
        if target > proc.index(application.current_step):
            raise ValidationError({"to_step": _("Chỉ trả lại về bước hiện tại hoặc bước trước.")})
        from_step = application.current_step
        for step in application.steps.filter(order__gte=target):
            step.status = StepStatus.PENDING
            step.started_on = step.deadline = step.done_on = None
            step.done_by = None
            step.version += 1
            step.save()
        application.status = ApplicationStatus.RETURNED
        application.current_step = to_step
        _save(application, ["status", "current_step"])
        _event(
            application,
            EventKind.RETURNED,
            user,
            from_step,
            _("Trả lại về bước «%(step)s»: %(reason)s")
            % {"step": proc.step(to_step).name, "reason": reason.strip()},
            on=on,
        )
    return application


def resubmit(
    user: User | None,
    application: Application,
    *,
    note: str = "",
    expected_version: int | None,
    on: dt.date | None = None,
) -> Application:
    """The actor of the step it was returned to resubmits; that step opens again."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        proc = procedure(application.procedure)
        config = proc.step(application.current_step)
        if user is not None and not permissions.can_act_on_step(
            user, application.unit, config.actor_roles
        ):
            raise PermissionDenied
        if application.status != ApplicationStatus.RETURNED:
            raise ValidationError(_("Chỉ nộp lại được hồ sơ đã bị trả lại."))
        on = on or dt.date.today()
        _start_step(application.steps.get(code=config.code), proc, on)
        application.status = ApplicationStatus.IN_PROGRESS
        _save(application, ["status"])
        _event(application, EventKind.RESUBMITTED, user, config.code, note, on=on)
    return application


# --- Decisions and titles -------------------------------------------------------------------


def freeze_evaluation(evaluation: Evaluation, note: str = "") -> dict:
    """The evaluation as it stood, copied so later recomputations cannot change the record."""
    s = evaluation.criteria_set
    return {
        "evaluation_id": evaluation.pk,
        "unit": evaluation.unit.name,
        "year": evaluation.year,
        "set": {"code": s.code, "version": s.version, "name": s.name, "basis": s.basis_number},
        "met_count": evaluation.met_count,
        "total": evaluation.total,
        "all_met": evaluation.all_met,
        "effective_region": evaluation.effective_region,
        "computed_at": evaluation.computed_at.isoformat(),
        "frozen_at": timezone.now().isoformat(),
        "note": note,
        "criteria": evaluation.result.get("criteria", []),
    }


def _new_decision(user, kind: str, data: DecisionData, province: Unit, illustrative=False):
    return Decision.objects.create(
        kind=kind,
        number=data.number.strip(),
        date=data.date,
        signer=data.signer.strip(),
        issuer=data.issuer.strip(),
        summary=data.summary,
        province=province,
        illustrative=illustrative,
        created_by=user,
    )


def decide(
    user: User | None,
    application: Application,
    data: DecisionData,
    *,
    expected_version: int | None,
    decision: Decision | None = None,
) -> Title:
    """The decision step: refused while any condition fails (the message names each condition
    and its data); otherwise the decision is recorded and the title created with the evaluation
    frozen at that date. `decision` lets one signed decision recognise several units."""
    with transaction.atomic():
        application = _locked(application)
        _check_version(application, expected_version)
        proc = procedure(application.procedure)
        if user is not None and not permissions.can_decide_recognition(user, application.unit):
            raise PermissionDenied
        if application.status != ApplicationStatus.IN_PROGRESS:
            raise ValidationError(
                _("Hồ sơ đang ở trạng thái «%s».") % application.get_status_display()
            )
        if application.current_step != proc.last.code:
            raise ValidationError(
                _("Hồ sơ chưa đến bước quyết định (đang ở bước «%s»).")
                % proc.step(application.current_step).name
            )
        if decision is None:
            _decision_fields_valid(data)
        on = decision.date if decision else data.date
        refusals = [
            _("Chưa đủ điều kiện «%(label)s»: %(detail)s") % {"label": c.label, "detail": c.detail}
            for c in eligibility.failing(eligibility.check(application, on))
        ]
        if not refusals:
            return _grant(user, application, proc, data, decision)
    # The refusal stays in the timeline (its own small write, after the checks rolled back).
    _event(application, EventKind.REFUSED, user, proc.last.code, " ".join(refusals))
    raise ValidationError(refusals, code="ineligible")


def _grant(user, application: Application, proc: Procedure, data, decision) -> Title:
    """The decision step once every condition holds (inside `decide`'s transaction)."""
    if decision is None:
        decision = _new_decision(
            user,
            DecisionKind.RECOGNITION,
            data,
            province_of(application.unit),
            application.illustrative,
        )
    evaluation = eligibility.evaluation_for(application)
    for earlier in Title.objects.filter(
        unit=application.unit, tier=application.tier, status=TitleStatus.ACTIVE
    ):
        earlier.status = TitleStatus.SUPERSEDED
        earlier.ended_on = decision.date
        earlier.end_decision = decision
        earlier.end_reason = _("Được công nhận lại theo %s") % evaluation.criteria_set.name
        earlier.version += 1
        earlier.save()
    title = Title.objects.create(
        unit=application.unit,
        tier=application.tier,
        year=decision.date.year,
        decision=decision,
        criteria_set=evaluation.criteria_set,
        snapshot=freeze_evaluation(evaluation),
        application=application,
        illustrative=application.illustrative,
    )
    step = application.steps.get(code=proc.last.code)
    step.status = StepStatus.DONE
    step.done_on = decision.date
    step.done_by = user
    step.version += 1
    step.save()
    application.status = ApplicationStatus.DECIDED
    _save(application, ["status"])
    _event(
        application,
        EventKind.DECIDED,
        user,
        proc.last.code,
        _("Quyết định %s") % decision,
        on=decision.date,
    )
    return title


def record_existing_title(
    user: User | None,
    unit: Unit,
    tier: str,
    decision: Decision,
    *,
    basis_note: str,
    review: Evaluation | None = None,
    illustrative: bool = False,
) -> Title:
    """A title granted before the system (e.g. under the 2016-2020 set): recorded by the
    province with its decision. No evaluation of that set exists here, so `review` (if any) is
    frozen as a later review, labelled as such, never as the basis of the decision."""
    if user is not None and not permissions.can_decide_recognition(user, unit):
        raise PermissionDenied
    if not basis_note.strip():
        raise ValidationError({"basis_note": _("Cần ghi căn cứ công nhận.")})
    with transaction.atomic():
        note = (
            _(
                "Kết quả rà soát năm %(y)s theo bộ tiêu chí giai đoạn 2021-2025, không phải "
                "căn cứ của quyết định."
            )
            % {"y": review.year}
            if review
            else ""
        )
        return Title.objects.create(
            unit=unit,
            tier=tier,
            year=decision.date.year,
            decision=decision,
            criteria_set=None,
            basis_note=basis_note,
            snapshot=freeze_evaluation(review, note) | {"kind": "review"} if review else None,
            illustrative=illustrative,
        )


def record_past_title(
    user: User | None, unit: Unit, tier: str, data: DecisionData, *, basis_note: str
) -> Title:
    """The province records a title granted before the system, with its decision; the latest
    stored evaluation of the tier's set (if any) is kept as a review, labelled as such."""
    if user is not None and not permissions.can_decide_recognition(user, unit):
        raise PermissionDenied
    _decision_fields_valid(data)
    if Title.objects.filter(unit=unit, tier=tier, status=TitleStatus.ACTIVE).exists():
        raise ValidationError({"tier": _("%(u)s đang giữ danh hiệu này.") % {"u": unit.name}})
    family = family_for(unit.level, tier)
    review = (
        Evaluation.objects.filter(unit=unit, criteria_set__family=family)
        .select_related("criteria_set", "unit")
        .order_by("year", "-criteria_set__version")
        .first()
        if family
        else None
    )
    with transaction.atomic():
        decision = _new_decision(user, DecisionKind.RECOGNITION, data, province_of(unit))
        return record_existing_title(
            user, unit, tier, decision, basis_note=basis_note, review=review
        )


def revoke(
    user: User | None, title: Title, data: DecisionData, *, reason: str, expected_version: int
) -> Title:
    """Revocation is a decision of its own: the title ends on its date with the reason."""
    with transaction.atomic():
        title = (
            Title.objects.select_for_update(of=("self",)).select_related("unit").get(pk=title.pk)
        )
        if user is not None and not permissions.can_decide_recognition(user, title.unit):
            raise PermissionDenied
        if title.version != expected_version:
            who, what = changes_since(title, expected_version, ("status", "end_reason"))
            raise ValidationError(
                _("Danh hiệu vừa được cập nhật%(who)s: %(what)s.") % {"who": who, "what": what},
                code="stale",
            )
        if title.status != TitleStatus.ACTIVE:
            raise ValidationError(_("Danh hiệu đã chấm dứt, không thể thu hồi."))
        if not reason.strip():
            raise ValidationError({"reason": _("Cần ghi lý do thu hồi.")})
        _decision_fields_valid(data)
        if data.date < title.decision.date:
            raise ValidationError({"date": _("Ngày thu hồi không được trước ngày công nhận.")})
        decision = _new_decision(user, DecisionKind.REVOCATION, data, province_of(title.unit))
        title.status = TitleStatus.REVOKED
        title.ended_on = data.date
        title.end_decision = decision
        title.end_reason = reason.strip()
        title.version += 1
        title.save()
    return title


def record_merger_decision(
    user: User | None, unit: Unit, tier: str, data: DecisionData, *, illustrative: bool = False
) -> Title:
    """A merged unit inherits a title only when every old unit that formed it held it (CV
    267/BNN-VPĐP); the province records that decision, and the old titles end, carried over."""
    from nongthon.recognition.merger import inheritance

    if user is not None and not permissions.can_decide_recognition(user, unit):
        raise PermissionDenied
    row = next((r for r in inheritance(unit) if r.tier == tier), None)
    if row is None or not row.all_recognised:
        missing = ", ".join(p.name for p in row.without) if row else ""
        raise ValidationError(
            _(
                "Không đủ điều kiện kế thừa: %(missing)s chưa đạt chuẩn %(tier)s; xã mới phải xét "
                "công nhận theo QĐ 18/2022/QĐ-TTg."
            )
            % {"missing": missing or "—", "tier": Tier(tier).label}
        )
    if Title.objects.filter(unit=unit, tier=tier, status=TitleStatus.ACTIVE).exists():
        raise ValidationError(_("%s đã có danh hiệu này.") % unit.name)
    _decision_fields_valid(data)
    with transaction.atomic():
        decision = _new_decision(user, DecisionKind.MERGER, data, province_of(unit), illustrative)
        title = Title.objects.create(
            unit=unit,
            tier=tier,
            year=data.date.year,
            decision=decision,
            basis_note=rules()["merger"]["basis"],
            illustrative=illustrative,
            snapshot={
                "kind": "merger",
                "note": rules()["merger"]["all_recognised"].strip(),
                "parts": [
                    {"unit": t.unit.name, "title_id": t.pk, "decision": str(t.decision)}
                    for t in row.titles
                ],
            },
        )
        title.inherited_from.set(row.titles)
        for old in row.titles:
            old.status = TitleStatus.MERGED
            old.ended_on = data.date
            old.end_decision = decision
            old.end_reason = _("Chuyển sang %s sau sắp xếp đơn vị hành chính") % unit.name
            old.version += 1
            old.save()
    return title
