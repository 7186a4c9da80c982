"""A unit's facts for a year that choose its thresholds: the commune group of QĐ 51/2025 and
the designations that move it to the northern-mountain level (QĐ 318 Art. 1, QĐ 211/2024)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.evaluation import recompute_unit
from nongthon.assessment.models import Flag, UnitProfile
from nongthon.places.models import Unit


@transaction.atomic
def set_profile(
    actor,
    *,
    unit: Unit,
    year: int,
    commune_group: int | None,
    flags: list[str],
    note: str,
    expected_version: int | None = None,
) -> UnitProfile:
    """Record the unit's group and designations for the year, then re-evaluate it."""
    if actor is not None and not permissions.can_edit_unit_facts(actor, unit):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if commune_group is not None and commune_group not in (1, 2, 3):
        errors["commune_group"] = _("Nhóm xã là 1, 2 hoặc 3.")
    unknown = sorted(set(flags) - set(Flag.values))
    if unknown:
        errors["flags"] = _("Đặc điểm không hợp lệ: %s.") % ", ".join(unknown)
    if (flags or commune_group) and not note.strip():
        errors["note"] = _("Hãy ghi căn cứ (số, ngày quyết định công nhận xã ĐBKK, khu vực...).")
    if errors:
        raise ValidationError(errors)
    profile = UnitProfile.objects.select_for_update().filter(unit=unit, year=year).first()
    current = profile.version if profile else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Đặc điểm của %(unit)s năm %(year)s vừa được người khác sửa; hãy tải lại trang.")
            % {"unit": unit.name, "year": year},
            code="stale",
        )
    profile = profile or UnitProfile(unit=unit, year=year, version=0)
    profile.commune_group = commune_group
    profile.flags = sorted(set(flags))
    profile.note = note.strip()
    profile.version += 1
    profile._history_user = actor
    profile.save()
    recompute_unit(unit, year)
    return profile
