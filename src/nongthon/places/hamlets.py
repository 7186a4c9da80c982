"""Use cases that change hamlets (thôn, ấp, bản, tổ dân phố): add, rename, retire, restore.

Hamlets are in no official list: the commune keeps them. Each function checks the permission,
keeps history (django-simple-history, with the actor and the reason) and refuses a concurrent
edit instead of overwriting it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Hamlet, HamletKind, Unit, UnitKind
from nongthon.places.text import clean_name, fold
from nongthon.web.history import changes_since, show_field

NAME_MAX_LENGTH = Hamlet._meta.get_field("name").max_length
REASON_MAX_LENGTH = Hamlet._meta.get_field("retired_reason").max_length
URBAN_COMMUNE_KINDS = {UnitKind.PHUONG, UnitKind.THI_TRAN}


def default_kind(commune: Unit) -> str:
    """A guess for the form only (provinces differ, nothing enforces it): thôn or tổ dân phố."""
    return HamletKind.TO_DAN_PHO if commune.kind in URBAN_COMMUNE_KINDS else HamletKind.THON


def kind_noun(kind: str) -> str:
    """ "ấp", "tổ dân phố"... for sentences; "Khác" reads badly there, so the umbrella term."""
    if kind == HamletKind.OTHER or kind not in HamletKind.values:
        return _("thôn, ấp")
    return str(HamletKind(kind).label).lower()


def clean_hamlet_name(name: str) -> str:
    """The name as it will be stored, or a ValidationError on the "name" field."""
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError({"name": _("Hãy nhập tên thôn, ấp.")})
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Tên thôn, ấp dài quá %(max)d ký tự.") % {"max": NAME_MAX_LENGTH}}
        )
    return cleaned


def _check_kind(kind: str) -> None:
    if kind not in HamletKind.values:
        raise ValidationError({"kind": _("Loại «%(kind)s» không hợp lệ.") % {"kind": kind}})


def active_namesake(commune: Unit, name: str, exclude: Hamlet | None = None) -> Hamlet | None:
    """The active hamlet of the commune whose name folds like `name` (case, diacritics)."""
    query = Hamlet.objects.active().filter(commune=commune, search_text=fold(name))
    if exclude is not None:
        query = query.exclude(pk=exclude.pk)
    return query.first()


def duplicate_message(commune: Unit, existing: Hamlet) -> str:
    return _("%(commune)s đã có %(kind)s «%(name)s».") % {
        "commune": commune.name,
        "kind": kind_noun(existing.kind),
        "name": existing.name,
    }


def _check_unique(commune: Unit, name: str, exclude: Hamlet | None = None) -> None:
    existing = active_namesake(commune, name, exclude)
    if existing is not None:
        raise ValidationError({"name": duplicate_message(commune, existing)})


def _save(hamlet: Hamlet, actor: User | None, reason: str = "") -> None:
    """Save with the actor and reason on the history record; a lost race on the unique
    constraint becomes the same message as the check before it."""
    hamlet._history_user = actor
    if reason:
        hamlet._change_reason = reason
    try:
        with transaction.atomic():
            hamlet.save()
    except IntegrityError as exc:
        existing = active_namesake(hamlet.commune, hamlet.name, exclude=hamlet)
        if existing is None:
            raise
        raise ValidationError({"name": duplicate_message(hamlet.commune, existing)}) from exc


def _require_edit(actor: User | None, commune: Unit) -> None:
    # actor None = the system itself (demo data, management commands).
    if actor is not None and not permissions.can_edit_hamlets(actor, commune):
        raise PermissionDenied


def insert_hamlet(
    actor: User | None, *, commune: Unit, name: str, kind: str, reason: str = ""
) -> Hamlet:
    """The insert shared by the form and the Excel import, after their own checks."""
    hamlet = Hamlet(commune=commune, name=name, kind=kind)
    _save(hamlet, actor, reason)
    return hamlet


@transaction.atomic
def create_hamlet(actor: User | None, *, commune: Unit, name: str, kind: str) -> Hamlet:
    _require_edit(actor, commune)
    name = clean_hamlet_name(name)
    _check_kind(kind)
    _check_unique(commune, name)
    return insert_hamlet(actor, commune=commune, name=name, kind=kind)


SHOWN_FIELDS = ("name", "kind", "retired_on", "retired_reason")


def _stale_message(current: Hamlet, expected_version: int) -> str:
    """Who changed the hamlet since the form was loaded, and what (loaded → now)."""
    who, what = changes_since(current, expected_version, SHOWN_FIELDS)
    return _(
        "Người khác đã sửa %(kind)s «%(name)s» sau khi bạn mở trang%(who)s: %(what)s. "
        "Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lại nếu vẫn cần."
    ) % {"kind": kind_noun(current.kind), "name": current.name, "who": who, "what": what}


def _lock(hamlet: Hamlet, expected_version: int) -> Hamlet:
    """The row, locked, if nobody changed it since `expected_version`; else refuse."""
    current = Hamlet.objects.select_for_update().select_related("commune").get(pk=hamlet.pk)
    if current.version != expected_version:
        raise ValidationError(_stale_message(current, expected_version), code="stale")
    return current


@transaction.atomic
def update_hamlet(
    actor: User | None, *, hamlet: Hamlet, expected_version: int, name: str, kind: str
) -> Hamlet:
    """Rename or change the kind; the old name stays in the history."""
    _require_edit(actor, hamlet.commune)
    current = _lock(hamlet, expected_version)
    name = clean_hamlet_name(name)
    _check_kind(kind)
    if current.retired_on is None:
        _check_unique(current.commune, name, exclude=current)
    current.name, current.kind = name, kind
    current.version += 1
    _save(current, actor)
    return current


@transaction.atomic
def retire_hamlet(
    actor: User | None, *, hamlet: Hamlet, expected_version: int, on: dt.date, reason: str
) -> Hamlet:
    """Stop using a hamlet (merged, dissolved): kept, greyed, with the date and reason."""
    _require_edit(actor, hamlet.commune)
    current = _lock(hamlet, expected_version)
    if current.retired_on is not None:
        raise ValidationError(
            _("%(kind)s «%(name)s» đã thôi sử dụng từ %(on)s.")
            % {
                "kind": kind_noun(current.kind).capitalize(),
                "name": current.name,
                "on": show_field(current, "retired_on"),
            }
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Hãy ghi lý do thôi sử dụng (ví dụ: số nghị quyết sáp nhập thôn, ấp).")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Lý do dài quá %(max)d ký tự.") % {"max": REASON_MAX_LENGTH}}
        )
    if on is None:
        raise ValidationError({"on": _("Hãy nhập ngày thôi sử dụng.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("Ngày thôi sử dụng không được sau hôm nay.")})
    current.retired_on, current.retired_reason = on, reason
    current.version += 1
    _save(current, actor, reason)
    return current


@transaction.atomic
def restore_hamlet(
    actor: User | None, *, hamlet: Hamlet, expected_version: int, reason: str = ""
) -> Hamlet:
    """Use a retired hamlet again (retired by mistake); its name must be free in the commune."""
    _require_edit(actor, hamlet.commune)
    current = _lock(hamlet, expected_version)
    if current.retired_on is None:
        raise ValidationError(
            _("%(kind)s «%(name)s» đang được sử dụng.")
            % {"kind": kind_noun(current.kind).capitalize(), "name": current.name}
        )
    existing = active_namesake(current.commune, current.name, exclude=current)
    if existing is not None:
        raise ValidationError(
            _("%(duplicate)s Hãy đổi tên một trong hai trước khi khôi phục.")
            % {"duplicate": duplicate_message(current.commune, existing)}
        )
    current.retired_on, current.retired_reason = None, ""
    current.version += 1
    reason = " ".join((reason or "").split())[:REASON_MAX_LENGTH]
    _save(current, actor, reason or _("Khôi phục"))
    return current
