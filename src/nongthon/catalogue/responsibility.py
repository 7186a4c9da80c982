"""Which agency of a province answers for each criterion of a set family (set by decision)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nongthon.accounts.models import User
from nongthon.catalogue.models import Criterion, CriterionResponsibility
from nongthon.catalogue.refinement import _require_manager
from nongthon.places.models import Agency, Unit


@dataclass
class AssignmentOutcome:
    responsibility: CriterionResponsibility | None
    action: str  # assigned / changed / removed / unchanged
    previous_agency: Agency | None
    previous_basis: str
    changed_by: User


@transaction.atomic
def assign_responsibility(
    actor: User,
    *,
    province: Unit,
    family: str,
    criterion_number: int,
    agency: Agency | None,
    basis: str,
    expected_agency_id: int | None = None,
) -> AssignmentOutcome:
    """Make one of the province's agencies answer for a criterion of a set family (None: no
    agency). `expected_agency_id` is what the page showed (0: none), None to skip the check."""
    _require_manager(actor, province)
    errors: dict[str, str] = {}
    in_family = Criterion.objects.filter(criteria_set__family=family, number=criterion_number)
    if not in_family.filter(
        Q(criteria_set__province__isnull=True) | Q(criteria_set__province=province)
    ).exists():
        errors["criterion_number"] = _("Bộ tiêu chí «%(family)s» không có tiêu chí số %(n)s.") % {
            "family": family,
            "n": criterion_number,
        }
    if agency is not None:
        if agency.unit_id != province.pk:
            errors["agency"] = _("«%(agency)s» không phải cơ quan của %(province)s.") % {
                "agency": agency.name,
                "province": province.name,
            }
        elif not agency.is_current:
            errors["agency"] = _("«%s» đã kết thúc hoạt động.") % agency.name
    basis = (basis or "").strip()
    if agency is not None and not basis:
        errors["basis"] = _("Hãy ghi căn cứ phân công (số, ngày quyết định).")
    elif len(basis) > CriterionResponsibility._meta.get_field("basis").max_length:
        errors["basis"] = _("Căn cứ quá dài.")
    if errors:
        raise ValidationError(errors)
    row = (
        CriterionResponsibility.objects.select_for_update()
        .select_related("agency")
        .filter(province=province, family=family, criterion_number=criterion_number)
        .first()
    )
    previous = row.agency if row else None
    previous_basis = row.basis if row else ""
    if expected_agency_id is not None and expected_agency_id != (row.agency_id if row else 0):
        raise ValidationError(
            _(
                "Tiêu chí %(n)s vừa được phân công cho %(agency)s (%(basis)s). Thay đổi của bạn "
                "chưa được lưu; hãy xem lại rồi làm lại nếu vẫn cần."
            )
            % {
                "n": criterion_number,
                "agency": previous.name if previous else _("không cơ quan nào"),
                "basis": previous_basis or "—",
            },
            code="stale",
        )
    if agency is None:
        if row is None:
            return AssignmentOutcome(None, "unchanged", None, "", actor)
        row.delete()
        return AssignmentOutcome(None, "removed", previous, previous_basis, actor)
    if row is not None and row.agency_id == agency.pk and row.basis == basis:
        return AssignmentOutcome(row, "unchanged", previous, previous_basis, actor)
    action = "changed" if row is not None else "assigned"
    row = row or CriterionResponsibility(
        province=province, family=family, criterion_number=criterion_number
    )
    row.agency, row.basis = agency, basis
    row.save()
    return AssignmentOutcome(row, action, previous, previous_basis, actor)
