"""Confirmation of criteria by the responsible department ("xác nhận"): confirm, return with a
comment, and the department's queue of communes waiting for its word.

Who answers for a criterion is the province's CriterionResponsibility; permissions.can_confirm
decides whether a user speaks for that agency. A value changed after the word re-opens it
(services.save_values), so a confirmation always refers to the values the commune has now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.models import Confirmation, CriterionResult, Evaluation
from nongthon.assessment.queries import (
    MET,
    ConfirmationState,
    Verdict,
    commune_set,
    responsible_agency,
)
from nongthon.assessment.services import governing_set
from nongthon.catalogue.models import Criterion, CriterionResponsibility
from nongthon.places.models import Agency, Level, Unit

Status = Confirmation.Status


def governing_result(
    unit: Unit, year: int, family: str, criterion_number: int
) -> CriterionResult | None:
    """The criterion's stored verdict under the set that governs the unit now."""
    criteria_set = governing_set(unit, family, year)
    if criteria_set is None:
        return None
    return (
        CriterionResult.objects.filter(
            evaluation__unit=unit,
            evaluation__year=year,
            evaluation__criteria_set=criteria_set,
            criterion_number=criterion_number,
        )
        .select_related("evaluation__criteria_set")
        .first()
    )


@transaction.atomic
def confirm(
    actor,
    *,
    unit: Unit,
    year: int,
    family: str,
    criterion_number: int,
    comment: str = "",
    expected_version: int | None = None,
) -> Confirmation:
    """The responsible agency confirms a criterion the commune meets on its current values."""
    return _decide(
        actor,
        unit=unit,
        year=year,
        family=family,
        criterion_number=criterion_number,
        status=Status.CONFIRMED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def return_criterion(
    actor,
    *,
    unit: Unit,
    year: int,
    family: str,
    criterion_number: int,
    comment: str,
    expected_version: int | None = None,
) -> Confirmation:
    """The responsible agency sends a criterion back to the commune, saying why."""
    return _decide(
        actor,
        unit=unit,
        year=year,
        family=family,
        criterion_number=criterion_number,
        status=Status.RETURNED,
        comment=comment,
        expected_version=expected_version,
    )


def _decide(
    actor,
    *,
    unit: Unit,
    year: int,
    family: str,
    criterion_number: int,
    status: str,
    comment: str,
    expected_version: int | None,
) -> Confirmation:
    agency = responsible_agency(unit, family, criterion_number)
    if not permissions.can_confirm(actor, unit, agency):
        raise PermissionDenied
    names = {"n": criterion_number, "unit": unit.name, "year": year}
    result = governing_result(unit, year, family, criterion_number)
    if result is None:
        raise ValidationError(
            _("%(unit)s chưa có kết quả đánh giá tiêu chí %(n)s năm %(year)s.") % names
        )
    comment = (comment or "").strip()
    if status == Status.RETURNED and not comment:
        raise ValidationError(
            {
                "comment": _("Trả lại tiêu chí %(n)s cần có ý kiến: ghi rõ điều xã cần bổ sung.")
                % names
            }
        )
    if status == Status.CONFIRMED and result.status != MET:
        raise ValidationError(
            _(
                "Tiêu chí %(n)s của %(unit)s năm %(year)s đang «%(verdict)s» theo số liệu "
                "hiện tại; chỉ xác nhận được tiêu chí đã đạt. Nếu cần, hãy trả lại kèm ý kiến."
            )
            % {**names, "verdict": Verdict(result.status).label}
        )
    row = (
        Confirmation.objects.select_for_update()
        .filter(unit=unit, year=year, family=family, criterion_number=criterion_number)
        .first()
    )
    current_version = row.version if row else 0
    if expected_version is not None and expected_version != current_version:
        raise ValidationError(_stale_message(row, names), code="stale")
    if row is None:
        row = Confirmation(
            unit=unit, year=year, family=family, criterion_number=criterion_number, version=0
        )
    row.status = status
    row.agency = agency
    row.comment = comment
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.version += 1
    row._history_user = actor
    try:
        # A savepoint: two first decisions at once collide on the unique row; refuse the second.
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError(_stale_message(None, names), code="stale") from exc
    return row


def _stale_message(row: Confirmation | None, names: dict) -> str:
    if row is None:
        return (
            _(
                "Tiêu chí %(n)s của %(unit)s năm %(year)s vừa có người khác xử lý. "
                "Quyết định của bạn chưa được lưu; hãy tải lại trang."
            )
            % names
        )
    who = row.decided_by.display_name if row.decided_by else _("Hệ thống")
    when = (
        formats.date_format(timezone.localtime(row.decided_at), "SHORT_DATETIME_FORMAT")
        if row.decided_at
        else "—"
    )
    comment = f" — «{row.comment}»" if row.comment else ""
    return _(
        "Tiêu chí %(n)s của %(unit)s năm %(year)s vừa được %(who)s chuyển sang «%(status)s» "
        "lúc %(when)s%(comment)s. Quyết định của bạn chưa được lưu; hãy xem lại rồi làm lại "
        "nếu vẫn cần."
    ) % {
        **names,
        "who": who,
        "when": when,
        "status": row.get_status_display(),
        "comment": comment,
    }


# --- The department's queue -------------------------------------------------------------------


@dataclass
class QueueRow:
    unit: Unit
    year: int
    family: str
    criterion_number: int
    criterion_name: str
    verdict: Verdict
    reason: str
    state: ConfirmationState


def responsibilities_of(agencies: Iterable[Agency]) -> list[CriterionResponsibility]:
    return list(
        CriterionResponsibility.objects.filter(agency__in=list(agencies))
        .select_related("agency", "province")
        .order_by("province__code", "family", "criterion_number")
    )


def queue_years(agencies: Iterable[Agency]) -> list[int]:
    """Years with commune evaluations in the families and provinces the agencies answer for."""
    responsibilities = responsibilities_of(agencies)
    if not responsibilities:
        return []
    where = Q(pk__in=[])
    for r in responsibilities:
        where |= Q(unit__province_id=r.province_id, criteria_set__family=r.family)
    return list(
        Evaluation.objects.filter(where, unit__level=Level.COMMUNE)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def queue(
    agencies: Iterable[Agency], *, year: int, status: str | None = None
) -> QuerySet[CriterionResult]:
    """The criterion results the agencies answer for in `year`, under the governing set of each
    province, annotated with `confirmation_status` (no row yet = pending)."""
    where = Q(pk__in=[])
    sets: dict[tuple[int, str], object] = {}
    for r in responsibilities_of(agencies):
        key = (r.province_id, r.family)
        if key not in sets:
            sets[key] = commune_set(r.province, r.family, year)
        if sets[key] is None:
            continue
        where |= Q(
            evaluation__criteria_set=sets[key],
            evaluation__unit__province_id=r.province_id,
            criterion_number=r.criterion_number,
        )
    decided = Confirmation.objects.filter(
        unit=OuterRef("evaluation__unit"),
        year=OuterRef("evaluation__year"),
        family=OuterRef("evaluation__criteria_set__family"),
        criterion_number=OuterRef("criterion_number"),
    ).values("status")[:1]
    results = (
        CriterionResult.objects.filter(where, evaluation__year=year)
        .annotate(confirmation_status=Coalesce(Subquery(decided), Value(Status.PENDING)))
        .select_related("evaluation__unit__district", "evaluation__criteria_set")
        .order_by("criterion_number", "evaluation__unit__code")
    )
    if status:
        results = results.filter(confirmation_status=status)
    return results


def pending_for_agency(agency: Agency, year: int) -> QuerySet[CriterionResult]:
    return queue([agency], year=year, status=Status.PENDING)


def queue_rows(results: Iterable[CriterionResult]) -> list[QueueRow]:
    """A page of queue results with their criterion names and confirmation records."""
    results = list(results)
    if not results:
        return []
    set_ids = {r.evaluation.criteria_set_id for r in results}
    names = {
        (c.criteria_set_id, c.number): c.name
        for c in Criterion.objects.filter(criteria_set_id__in=set_ids)
    }
    records = {
        (c.unit_id, c.year, c.family, c.criterion_number): c
        for c in Confirmation.objects.filter(
            unit_id__in={r.evaluation.unit_id for r in results},
            year__in={r.evaluation.year for r in results},
            criterion_number__in={r.criterion_number for r in results},
        ).select_related("agency", "decided_by")
    }
    agencies = {
        (a.province_id, a.family, a.criterion_number): a.agency
        for a in CriterionResponsibility.objects.filter(
            province_id__in={r.evaluation.unit.province_id for r in results},
            criterion_number__in={r.criterion_number for r in results},
        ).select_related("agency")
    }
    rows = []
    for r in results:
        e = r.evaluation
        family = e.criteria_set.family
        rows.append(
            QueueRow(
                unit=e.unit,
                year=e.year,
                family=family,
                criterion_number=r.criterion_number,
                criterion_name=names.get((e.criteria_set_id, r.criterion_number), ""),
                verdict=Verdict(r.status),
                reason=r.reason,
                state=ConfirmationState(
                    agencies.get((e.unit.province_id, family, r.criterion_number)),
                    records.get((e.unit_id, e.year, family, r.criterion_number)),
                ),
            )
        )
    return rows


def queue_row(unit: Unit, year: int, family: str, criterion_number: int) -> QueueRow | None:
    """One row again, after a decision (the htmx swap)."""
    result = governing_result(unit, year, family, criterion_number)
    if result is None:
        return None
    result = CriterionResult.objects.select_related(
        "evaluation__unit__district", "evaluation__criteria_set"
    ).get(pk=result.pk)
    return queue_rows([result])[0]
