"""Evidence files behind indicator values: attach (type checked by content, size limited),
remove (softly: the file and its history stay), and open for download.

Files live under MEDIA_ROOT, which no URL serves: downloads go through a view that asks
accounts.permissions. Stored names are generated; the user's file name is kept only as text.
The checks themselves are nongthon.web.uploads, shared by every upload of the project.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.models import Evidence, IndicatorValue
from nongthon.assessment.services import governing_set, indicator_index
from nongthon.places.models import Unit
from nongthon.web import uploads
from nongthon.web.uploads import FileKind

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KINDS = uploads.DOCUMENT_KINDS
ACCEPT = uploads.accept(KINDS)
clean_name = uploads.clean_name
human_size = uploads.human_size


def max_bytes() -> int:
    return int(getattr(settings, "NONGTHON_MAX_EVIDENCE_BYTES", DEFAULT_MAX_BYTES))


def check_file(upload: UploadedFile) -> FileKind:
    """The file's kind by its content, or ValidationError with a Vietnamese sentence naming it."""
    return uploads.check_upload(
        upload,
        kinds=KINDS,
        max_bytes=max_bytes(),
        described=_("PDF, ảnh JPEG, PNG, Word (.docx, .doc) và Excel (.xlsx, .xls)"),
    )


def _value_row(actor, unit: Unit, year: int, family: str, indicator_code: str) -> IndicatorValue:
    """The value row the file belongs to, created empty (version 1, with history) if needed."""
    criteria_set = governing_set(unit, family, year)
    if criteria_set is None or indicator_code not in indicator_index(criteria_set):
        raise ValidationError(
            _("Chỉ tiêu «%(code)s» không có trong bộ tiêu chí áp dụng cho %(unit)s năm %(year)s.")
            % {"code": indicator_code, "unit": unit.name, "year": year},
            code="unknown_indicator",
        )
    key = {"unit": unit, "year": year, "family": family, "indicator_code": indicator_code}
    row = IndicatorValue.objects.filter(**key).first()
    if row is not None:
        return row
    row = IndicatorValue(**key, version=1, entered_by=actor)
    row._history_user = actor
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # Someone created it a moment ago (another upload or a save): use theirs.
        return IndicatorValue.objects.get(**key)
    return row


@transaction.atomic
def attach_evidence(
    actor,
    *,
    upload: UploadedFile,
    value: IndicatorValue | None = None,
    unit: Unit | None = None,
    year: int | None = None,
    family: str | None = None,
    indicator_code: str | None = None,
) -> Evidence:
    """Attach a file to a value row, given as `value` or as (unit, year, family, code)."""
    target_unit = value.unit if value is not None else unit
    if target_unit is None:
        raise TypeError("attach_evidence needs value= or unit=, year=, family=, indicator_code=")
    if actor is not None and not permissions.can_edit_values(actor, target_unit):
        raise PermissionDenied
    kind = check_file(upload)
    if value is None:
        value = _value_row(actor, target_unit, year, family, indicator_code)
    evidence = Evidence(
        value=value,
        original_name=clean_name(upload.name or ""),
        size=upload.size,
        content_type=kind.content_type,
        uploaded_by=actor,
    )
    evidence._history_user = actor
    upload.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}{kind.suffix}", upload, save=False)
    try:
        evidence.save()
    except Exception:
        # A failed row must not leave an orphan file behind.
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_evidence(actor, *, evidence: Evidence) -> Evidence:
    """Take a file off the value; it stays stored and in history (who removed it, when)."""
    if actor is not None and not permissions.can_edit_values(actor, evidence.value.unit):
        raise PermissionDenied
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if locked.removed_at is not None:
        raise ValidationError(
            _("Tệp «%s» đã được gỡ trước đó.") % locked.original_name, code="removed"
        )
    locked.removed_at = timezone.now()
    locked._history_user = actor
    locked.save()
    return locked


def visible_evidence(actor, pk: int) -> Evidence | None:
    """A file the actor may download: not removed, of a unit whose values they may see."""
    evidence = (
        Evidence.objects.select_related("value__unit")
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )
    if evidence is None or not permissions.can_view_values(actor, evidence.value.unit):
        return None
    return evidence


def evidence_of(unit: Unit, year: int, family: str, indicator_code: str) -> list[Evidence]:
    """Every file of one value, current ones first, then removed ones (newest first)."""
    return sorted(
        Evidence.objects.filter(
            value__unit=unit,
            value__year=year,
            value__family=family,
            value__indicator_code=indicator_code,
        ).select_related("uploaded_by"),
        key=lambda e: (e.removed_at is not None, -e.uploaded_at.timestamp()),
    )
