"""Evidence files behind indicator values: attach (type checked by content, size limited),
remove (softly: the file and its history stay), and open for download.

Files live under MEDIA_ROOT, which no URL serves: downloads go through a view that asks
accounts.permissions. Stored names are generated; the user's file name is kept only as text.
"""

from __future__ import annotations

import io
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.models import Evidence, IndicatorValue
from nongthon.assessment.services import governing_set, indicator_index
from nongthon.places.models import Unit

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX_LENGTH = 200  # Evidence.original_name


@dataclass(frozen=True)
class FileKind:
    label: str  # what the user calls it: "PDF", "Word (.docx)"
    content_type: str
    suffix: str  # of the stored name


PDF = FileKind("PDF", "application/pdf", ".pdf")
JPEG = FileKind("JPEG", "image/jpeg", ".jpg")
PNG = FileKind("PNG", "image/png", ".png")
DOCX = FileKind(
    "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileKind(
    "Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
)
DOC = FileKind("Word (.doc)", "application/msword", ".doc")
XLS = FileKind("Excel (.xls)", "application/vnd.ms-excel", ".xls")

# The kind a file name promises; its content must keep the promise.
KIND_BY_SUFFIX = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".doc": DOC,
    ".xls": XLS,
}
ACCEPT = ",".join(KIND_BY_SUFFIX)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes() -> int:
    return int(getattr(settings, "NONGTHON_MAX_EVIDENCE_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    """ "2,5 MB", "830 KB" (Vietnamese decimal comma)."""
    if size >= 1024 * 1024:
        return _("%s MB") % formats.number_format(size / (1024 * 1024), 1, use_l10n=True)
    return _("%s KB") % formats.number_format(max(size, 1) / 1024, 0, use_l10n=True)


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_names(data: bytes) -> list[str]:
    # Only the central directory is read: nothing is decompressed, so a zip bomb costs nothing.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return []


def content_kind(data: bytes) -> FileKind | None:
    """What the bytes are, by their signature (and, for Office files, what is inside)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
        return None
    if data.startswith(OLE_MAGIC):
        # Legacy Office: the stream names of the compound file, in UTF-16, tell Word from Excel.
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return XLS
        return None
    return None


def clean_name(name: str) -> str:
    """The user's file name as text: no folders, NFC, at most 200 characters, suffix kept."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "tep"
    base = unicodedata.normalize("NFC", "".join(c for c in base if c.isprintable()))
    if len(base) > NAME_MAX_LENGTH:
        suffix = PurePath(base).suffix[:10]
        base = base[: NAME_MAX_LENGTH - len(suffix)] + suffix
    return base


def check_file(upload: UploadedFile) -> FileKind:
    """The file's kind, or ValidationError with a Vietnamese sentence naming the file."""
    name = clean_name(upload.name or "")
    limit = max_bytes()
    if not upload.size:
        raise ValidationError(_("Tệp «%s» rỗng.") % name, code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Tệp «%(name)s» quá lớn (%(size)s); dung lượng tối đa là %(max)s.")
            % {"name": name, "size": human_size(upload.size), "max": human_size(limit)},
            code="too_large",
        )
    promised = KIND_BY_SUFFIX.get(PurePath(name).suffix.lower())
    if promised is None:
        raise ValidationError(
            _(
                "Tệp «%(name)s» không được nhận: chỉ nhận tệp PDF, ảnh JPEG, PNG, "
                "Word (.docx, .doc) và Excel (.xlsx, .xls)."
            )
            % {"name": name},
            code="file_type",
        )
    actual = content_kind(_read_all(upload))
    if actual != promised:
        raise ValidationError(
            _(
                "Tệp «%(name)s» không phải %(kind)s: nội dung tệp không khớp với đuôi tệp "
                "(có thể tệp bị hỏng hoặc chỉ được đổi tên). Hãy lưu lại đúng định dạng rồi "
                "tải lên."
            )
            % {"name": name, "kind": promised.label},
            code="file_type",
        )
    return actual


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
