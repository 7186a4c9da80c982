"""OCOP use cases: producers and products, score sheets, councils and rounds, scoring, results,
certificates, revocation and reminders. Each runs in one transaction and asks
accounts.permissions; refusals are PermissionDenied, bad input a ValidationError in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.assessment import evidence
from nongthon.ocop import certificates as cert_dates
from nongthon.ocop.models import (
    Certificate,
    Council,
    CouncilLevel,
    CouncilMember,
    Evaluation,
    EvaluationKind,
    MemberScore,
    Producer,
    ProducerKind,
    Product,
    ProductPhoto,
    Reminder,
    Round,
    ScoreSheet,
    Stage,
)
from nongthon.ocop.rules import certificate_rules, certified_from_star, rule_for, rule_version
from nongthon.ocop.scoring import check_points, rate
from nongthon.ocop.sheets import Sheet, parse_sheet, parse_text, shipped_files
from nongthon.places.models import Level, Unit
from nongthon.places.text import fold
from nongthon.web import uploads
from nongthon.web.history import changes_since


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _stale(current, expected_version: int, fields: tuple[str, ...], label: str) -> None:
    if current.version != expected_version:
        who, what = changes_since(current, expected_version, fields)
        raise ValidationError(
            _(
                "Người khác đã sửa «%(label)s» sau khi bạn mở trang%(who)s: %(what)s. "
                "Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lại nếu vẫn cần."
            )
            % {"label": label, "who": who, "what": what},
            code="stale",
        )


def _save(obj, actor: User | None, *, bump: bool = True) -> None:
    if bump and obj.pk:
        obj.version += 1
    obj._history_user = actor
    obj.save()


# --- Score sheets ------------------------------------------------------------------------


def sheet_of(rule: str, number: int) -> Sheet:
    row = ScoreSheet.objects.filter(rule=rule, number=number).first()
    if row is None:
        raise ValidationError(
            _("Không có phiếu số %(n)s của %(rule)s.") % {"n": number, "rule": rule}
        )
    return parse_sheet(row.content)


def _apply_sheet(row: ScoreSheet, sheet: Sheet, text: str) -> None:
    row.name, row.industry, row.group = sheet.name, sheet.industry, sheet.group
    row.subgroup, row.status = sheet.subgroup, sheet.status
    row.content, row.text = sheet.raw, text


@transaction.atomic
def load_shipped_sheets() -> tuple[int, int]:
    """Load data/sheets/*/*.yaml: new sheets are created, changed files make a new version."""
    created = changed = 0
    for path in shipped_files():
        text = path.read_text(encoding="utf-8")
        sheet = parse_text(text)
        row = ScoreSheet.objects.filter(rule=sheet.rule, number=sheet.number).first()
        if row is None:
            row = ScoreSheet(rule=sheet.rule, number=sheet.number, reason=_("Nạp tệp gốc"))
            _apply_sheet(row, sheet, text)
            _save(row, None)
            created += 1
        elif row.text != text and row.reason == _("Nạp tệp gốc"):
            # Only sheets nobody corrected by hand follow the shipped file.
            _apply_sheet(row, sheet, text)
            _save(row, None)
            changed += 1
    return created, changed


@transaction.atomic
def update_sheet(
    actor: User | None, *, sheet: ScoreSheet, text: str, expected_version: int, reason: str
) -> ScoreSheet:
    """Complete or correct a sheet (edited text or an uploaded file); a new version each time."""
    if actor is not None:
        _require(permissions.can_manage_sheets(actor))
    current = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    _stale(current, expected_version, ("status", "reason"), str(current))
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do thay đổi (căn cứ văn bản).")})
    parsed = parse_text(text)
    if (parsed.rule, parsed.number) != (current.rule, current.number):
        raise ValidationError(
            {
                "text": _("Tệp là phiếu %(got)s, không phải phiếu %(want)s.")
                % {"got": parsed.key, "want": f"{current.rule}/{current.number:02d}"}
            }
        )
    _apply_sheet(current, parsed, text)
    current.reason = reason.strip()[:300]
    _save(current, actor)
    return current


def read_upload_text(upload: UploadedFile) -> str:
    """An uploaded sheet file as text (UTF-8 YAML), or a Vietnamese error naming the file."""
    try:
        return uploads.read_text(upload, max_bytes=512 * 1024)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


def sheet_as_yaml(sheet: ScoreSheet) -> str:
    return sheet.text or yaml.safe_dump(sheet.content, allow_unicode=True, sort_keys=False)


# --- Producers and products ----------------------------------------------------------------

PRODUCER_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "address",
    "representative",
    "phone",
    "email",
    "contacts_public",
    "legal_status",
)


def _check_commune(unit: Unit) -> None:
    if unit.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Hãy chọn một xã, phường, thị trấn.")})


@transaction.atomic
def save_producer(
    actor: User | None,
    *,
    producer: Producer | None = None,
    expected_version: int | None = None,
    commune: Unit | None = None,
    **fields,
) -> Producer:
    if producer is None:
        _check_commune(commune)
        if actor is not None:
            _require(permissions.can_create_producer(actor, commune))
        current = Producer(commune=commune)
    else:
        if actor is not None:
            _require(permissions.can_edit_producer(actor, producer))
        current = Producer.objects.select_for_update().get(pk=producer.pk)
        _stale(current, expected_version, PRODUCER_FIELDS, current.name)
    if not str(fields.get("name", current.name)).strip():
        raise ValidationError({"name": _("Hãy nhập tên chủ thể.")})
    if fields.get("kind", current.kind) not in ProducerKind.values:
        raise ValidationError({"kind": _("Loại hình chủ thể không hợp lệ.")})
    tax = str(fields.get("tax_code", current.tax_code)).strip()
    if tax and not (tax.replace("-", "").isdigit() and len(tax.replace("-", "")) in (10, 13)):
        raise ValidationError({"tax_code": _("Mã số thuế gồm 10 hoặc 13 chữ số.")})
    for name, value in fields.items():
        if name in PRODUCER_FIELDS or name == "illustrative":
            setattr(current, name, value.strip() if isinstance(value, str) else value)
    _save(current, actor)
    return current


@transaction.atomic
def link_producer_user(actor: User | None, *, producer: Producer, user: User) -> None:
    """Give a producer account (role OCOP_PRODUCER) the right to edit this producer's data."""
    if actor is not None:
        _require(permissions.can_create_producer(actor, producer.commune))
    producer.users.add(user)


def _classify(product: Product, rule: str, number: int) -> None:
    sheet = sheet_of(rule, number)
    product.rule, product.sheet_number = rule, number
    product.industry, product.group, product.subgroup = sheet.industry, sheet.group, sheet.subgroup


PRODUCT_FIELDS = ("name", "description", "stage", "rule", "sheet_number", "commune")


@transaction.atomic
def save_product(
    actor: User | None,
    *,
    product: Product | None = None,
    expected_version: int | None = None,
    producer: Producer | None = None,
    name: str,
    commune: Unit,
    rule: str,
    sheet_number: int,
    description: str = "",
    stage: str = Stage.IDEA,
    illustrative: bool = False,
) -> Product:
    _check_commune(commune)
    if product is None:
        if actor is not None:
            _require(permissions.can_edit_producer(actor, producer))
        current = Product(producer=producer)
    else:
        if actor is not None:
            _require(permissions.can_edit_product(actor, product))
        current = Product.objects.select_for_update().get(pk=product.pk)
        _stale(current, expected_version, PRODUCT_FIELDS, current.name)
    if actor is not None and not permissions.can_edit_product(
        actor, Product(producer=current.producer, commune=commune)
    ):
        raise ValidationError({"commune": _("Bạn không quản lý xã đã chọn.")})
    if not name.strip():
        raise ValidationError({"name": _("Hãy nhập tên sản phẩm.")})
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Giai đoạn không hợp lệ.")})
    try:
        _classify(current, rule, int(sheet_number))
    except (ValidationError, ValueError):
        raise ValidationError(
            {"sheet_number": _("Phân nhóm không có trong quy định đã chọn.")}
        ) from None
    current.name, current.description, current.stage = name.strip(), description.strip(), stage
    current.commune = commune
    current.illustrative = illustrative or current.illustrative
    current.search_text = _search_text(current)
    _save(current, actor)
    return current


def _search_text(product: Product) -> str:
    parts = [product.name, product.producer.name, product.subgroup, product.group, product.code]
    return fold(" | ".join(p for p in parts if p))[:600]


def product_code(product: Product, rule: str, year: int) -> str:
    """Mã số sản phẩm: 26/2026 `(T)-(X)-(STT)-Năm`; district era `(T)-(H)-(X)-(STT)-Năm`."""
    commune = product.commune
    sequence = Product.objects.filter(commune=commune, pk__lte=product.pk).count()
    if rule == "qd26-2026":
        return f"{commune.province.code}-{commune.code}-{sequence}-{year}"
    return f"{commune.province.code}-{commune.district.code}-{commune.code}-{sequence}-{year}"


PHOTO_KINDS = set(uploads.IMAGE_KINDS)


@transaction.atomic
def add_photo(actor: User | None, *, product: Product, upload: UploadedFile) -> ProductPhoto:
    """A product photo: JPEG or PNG by content (the evidence checks), within the size limit."""
    if actor is not None:
        _require(permissions.can_edit_product(actor, product))
    kind = evidence.check_file(upload)
    if kind not in PHOTO_KINDS:
        raise ValidationError(
            {
                "photo": _("Tệp «%s» không phải ảnh: chỉ nhận ảnh JPEG hoặc PNG.")
                % uploads.clean_name(upload.name or "")
            }
        )
    photo = ProductPhoto(
        product=product,
        original_name=uploads.clean_name(upload.name or ""),
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    photo._history_user = actor
    upload.seek(0)
    photo.file.save(f"{uuid.uuid4().hex}{kind.suffix}", upload, save=False)
    try:
        photo.save()
    except Exception:
        photo.file.delete(save=False)
        raise
    return photo


# --- Councils, rounds, evaluations ----------------------------------------------------------


@transaction.atomic
def create_council(
    actor: User | None,
    *,
    name: str,
    level: str,
    unit: Unit,
    decision: str = "",
    members: list[User] = (),
    chair: User | None = None,
    illustrative: bool = False,
) -> Council:
    if actor is not None:
        _require(permissions.can_manage_councils(actor, unit))
    expected = {CouncilLevel.DISTRICT: Level.DISTRICT, CouncilLevel.PROVINCE: Level.PROVINCE}
    if level in expected and unit.level != expected[level]:
        raise ValidationError({"unit": _("Hội đồng %s phải gắn với đơn vị cùng cấp.") % level})
    council = Council(name=name, level=level, unit=unit, decision=decision)
    council.illustrative = illustrative
    _save(council, actor)
    for user in members:
        member = CouncilMember(council=council, user=user, is_chair=(user == chair))
        member._history_user = actor
        member.save()
    return council


@transaction.atomic
def create_round(
    actor: User | None, *, council: Council, name: str, evaluated_on: dt.date, deadline: dt.date
) -> Round:
    if actor is not None:
        _require(permissions.can_manage_councils(actor, council.unit))
    rule = rule_for(evaluated_on)
    if rule is None:
        raise ValidationError({"evaluated_on": _("Chưa có quy định OCOP nào vào ngày này.")})
    if council.level not in rule.levels_on(evaluated_on):
        raise ValidationError(
            {
                "evaluated_on": _("Theo %(rule)s, không có hội đồng %(level)s vào ngày này.")
                % {"rule": rule.name, "level": council.get_level_display().lower()}
            }
        )
    if deadline < evaluated_on:
        raise ValidationError({"deadline": _("Hạn hoàn thành phải sau ngày đánh giá.")})
    round_ = Round(council=council, name=name, evaluated_on=evaluated_on, deadline=deadline)
    _save(round_, actor)
    return round_


@transaction.atomic
def add_to_round(
    actor: User | None,
    *,
    round: Round,  # noqa: A002
    product: Product,
    kind: str = EvaluationKind.FIRST,
    sheet_number: int | None = None,
    illustrative: bool = False,
) -> Evaluation:
    """Put a product on a round. It is scored with the sheet of the rule in force on the
    round's evaluation date; a product classified under older rules is reclassified."""
    if actor is not None:
        _require(permissions.can_manage_councils(actor, round.council.unit))
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Loại đăng ký không hợp lệ.")})
    rule = rule_for(round.evaluated_on)
    current = Product.objects.select_for_update().get(pk=product.pk)
    if current.rule != rule.code:
        if sheet_number is None:
            raise ValidationError(
                {
                    "sheet_number": _(
                        "Sản phẩm «%(name)s» đang phân loại theo quy định cũ: hãy chọn phân "
                        "nhóm theo %(rule)s."
                    )
                    % {"name": current.name, "rule": rule.name}
                }
            )
        _classify(current, rule.code, sheet_number)
    if kind != EvaluationKind.FIRST and not current.certificates.exists():
        raise ValidationError(
            {"kind": _("Sản phẩm chưa có giấy chứng nhận để nâng hạng/đánh giá lại.")}
        )
    row = ScoreSheet.objects.get(rule=current.rule, number=current.sheet_number)
    current.code = product_code(current, rule.code, round.evaluated_on.year)
    current.stage = Stage.SUBMITTED
    current.search_text = _search_text(current)
    _save(current, actor)
    evaluation = Evaluation(
        round=round,
        product=current,
        kind=kind,
        rule=rule.code,
        sheet_number=row.number,
        sheet_version=row.version,
        sheet_content=row.content,
        illustrative=illustrative,
    )
    _save(evaluation, actor)
    return evaluation


def evaluation_sheet(evaluation: Evaluation) -> Sheet:
    """The sheet exactly as it was when the product was put on the round."""
    return parse_sheet(evaluation.sheet_content)


def parse_points(raw: dict[str, str]) -> dict[str, Decimal]:
    out = {}
    for code, value in raw.items():
        if value in ("", None):
            continue
        try:
            out[code] = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("Tiêu chí %(code)s: «%(value)s» không phải là số.")
                % {"code": code, "value": value}
            ) from None
    return out


@transaction.atomic
def save_member_score(
    actor: User,
    *,
    evaluation: Evaluation,
    points: dict[str, Decimal],
    comment: str = "",
    submit: bool = False,
    expected_version: int | None = None,
) -> MemberScore:
    """A member's own sheet: saved as a draft, or submitted (then every criterion is needed)."""
    _require(permissions.can_score(actor, evaluation))
    if evaluation.round.deadline < timezone.localdate() and submit:
        raise ValidationError(
            _("Đã quá hạn của đợt đánh giá (%s).") % evaluation.round.deadline.strftime("%d/%m/%Y")
        )
    sheet = evaluation_sheet(evaluation)
    check_points(sheet, points, partial=not submit)
    score = (
        MemberScore.objects.select_for_update().filter(evaluation=evaluation, member=actor).first()
    )
    if score is None:
        score = MemberScore(evaluation=evaluation, member=actor)
    elif expected_version is not None:
        _stale(score, expected_version, ("total", "submitted", "comment"), evaluation.product.name)
    score.points = {code: str(value) for code, value in points.items()}
    score.total = sum(points.values(), Decimal(0))
    score.submitted = submit
    score.comment = comment.strip()
    _save(score, actor)
    return score


def member_points(score: MemberScore) -> dict[str, Decimal]:
    return {code: Decimal(value) for code, value in score.points.items()}


@transaction.atomic
def finalize(actor: User | None, *, evaluation: Evaluation) -> Evaluation:
    """Close the scoring: average of the submitted sheets, band, minimums, star."""
    if actor is not None:
        _require(permissions.can_decide_certificate(actor, evaluation.product))
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.finalized_at is not None:
        raise ValidationError(_("Kết quả đã được chốt."))
    submitted = [member_points(s) for s in current.scores.filter(submitted=True)]
    rating = rate(evaluation_sheet(current), submitted)
    current.total, current.band_star, current.star = rating.total, rating.band_star, rating.star
    current.parts = {k: str(v) for k, v in rating.parts.items()}
    current.blockers = [
        {"star": b.star, "code": b.code, "name": b.name, "needed": str(b.needed), "got": str(b.got)}
        for b in rating.blockers
    ]
    current.finalized_at = timezone.now()
    _save(current, actor)
    product = current.product
    product.stage = Stage.EVALUATED
    _save(product, actor)
    return current


@transaction.atomic
def send_to_central(actor: User | None, *, evaluation: Evaluation, day: dt.date) -> Evaluation:
    """A province result of 90 or more ("tiềm năng 5 sao") goes to the central council."""
    if actor is not None:
        _require(permissions.can_decide_certificate(actor, evaluation.product))
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.finalized_at is None or current.band_star < 5 or current.star < 5:
        raise ValidationError(_("Chỉ gửi trung ương sản phẩm đạt từ 90 điểm và đủ tiêu chí 5 sao."))
    if current.round.council.level != CouncilLevel.PROVINCE:
        raise ValidationError(_("Chỉ hội đồng cấp tỉnh gửi hồ sơ lên trung ương."))
    current.sent_to_central_on = day
    _save(current, actor)
    return current


# --- Certificates -----------------------------------------------------------------------------


@transaction.atomic
def issue_certificate(
    actor: User | None,
    *,
    evaluation: Evaluation,
    decision_no: str,
    decision_date: dt.date,
    illustrative: bool = False,
) -> Certificate:
    """The decision recognising a result of 3 stars or more; it replaces (supersedes) the
    product's earlier certificates, e.g. after an upgrade or a re-evaluation."""
    product = evaluation.product
    if actor is not None:
        _require(permissions.can_decide_certificate(actor, product))
    if evaluation.finalized_at is None:
        raise ValidationError(_("Kết quả đánh giá chưa được chốt."))
    if evaluation.star < certified_from_star():
        raise ValidationError(
            _("Sản phẩm đạt %s sao: dưới 3 sao không được cấp giấy chứng nhận.") % evaluation.star
        )
    if evaluation.certificates.exists():
        raise ValidationError(_("Kết quả này đã có quyết định công nhận."))
    council = evaluation.round.council
    rule = rule_version(evaluation.rule)
    allowed = rule.stars_certified_by(council.level, evaluation.round.evaluated_on)
    if evaluation.star not in allowed:
        raise ValidationError(
            _(
                "Theo %(rule)s, %(level)s không công nhận sản phẩm %(star)s sao: hồ sơ chuyển "
                "lên cấp có thẩm quyền."
            )
            % {
                "rule": rule.name,
                "level": council.get_level_display().lower(),
                "star": evaluation.star,
            }
        )
    if not decision_no.strip():
        raise ValidationError({"decision_no": _("Hãy nhập số quyết định.")})
    if decision_date < evaluation.round.evaluated_on:
        raise ValidationError({"decision_date": _("Ngày quyết định phải sau ngày đánh giá.")})
    cert = Certificate(
        product=product,
        evaluation=evaluation,
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        level=evaluation.round.council.level,
        star=evaluation.star,
        rule=evaluation.rule,
        valid_until=cert_dates.valid_until(decision_date),
        illustrative=illustrative,
    )
    _save(cert, actor)
    for old in (
        Certificate.objects.select_for_update()
        .filter(product=product, superseded_by__isnull=True, revoked_on__isnull=True)
        .exclude(pk=cert.pk)
    ):
        old.superseded_by = cert
        _save(old, actor)
    product = Product.objects.select_for_update().get(pk=product.pk)
    product.stage = Stage.CERTIFIED
    _save(product, actor)
    cert.product = product
    return cert


@transaction.atomic
def revoke_certificate(
    actor: User | None,
    *,
    certificate: Certificate,
    expected_version: int,
    decision_no: str,
    day: dt.date,
    ground: str,
    note: str = "",
) -> Certificate:
    """Revocation is a decision (QĐ 26/2026 Điều 8): number, date, one of the grounds a–e."""
    if actor is not None:
        _require(permissions.can_decide_certificate(actor, certificate.product))
    current = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _stale(current, expected_version, ("revoked_on", "revocation_no"), str(current))
    grounds = certificate_rules().revocation_grounds
    errors = {}
    if current.revoked_on is not None:
        raise ValidationError(_("Giấy chứng nhận đã bị thu hồi."))
    if ground not in grounds:
        errors["ground"] = _("Hãy chọn căn cứ thu hồi (Điều 8.1).")
    if not decision_no.strip():
        errors["decision_no"] = _("Hãy nhập số quyết định thu hồi.")
    if day < current.decision_date:
        errors["day"] = _("Ngày thu hồi phải sau ngày cấp.")
    if errors:
        raise ValidationError(errors)
    current.revoked_on, current.revocation_no = day, decision_no.strip()
    current.revocation_ground, current.revocation_note = ground, note.strip()
    _save(current, actor)
    return current


@transaction.atomic
def send_reminders(today: dt.date) -> list[Reminder]:
    """Certificates whose re-evaluation window is open today get one reminder to the producer's
    commune and one to the coordination office (province), once per window."""
    rules = certificate_rules()
    lower = today + dt.timedelta(days=rules.window_closes_days_before)
    upper = today + dt.timedelta(days=rules.window_opens_days_before)
    live = list(
        Certificate.objects.filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=today),
            superseded_by__isnull=True,
            valid_until__gte=lower,
            valid_until__lte=upper,
        ).select_related("product__commune__province")
    )
    # One query for the reminders already sent, not one per certificate and recipient.
    sent = set(
        Reminder.objects.filter(certificate__in=live).values_list(
            "certificate_id", "recipient", "window_opens"
        )
    )
    made = []
    for cert in live:
        window = cert_dates.reevaluation_window(cert.valid_until)
        commune = cert.product.commune
        for recipient, unit in (
            (Reminder.Recipient.COMMUNE, commune),
            (Reminder.Recipient.OFFICE, commune.province),
        ):
            if (cert.pk, recipient, window.opens) in sent:
                continue
            made.append(
                Reminder.objects.create(
                    certificate=cert,
                    recipient=recipient,
                    window_opens=window.opens,
                    unit=unit,
                    window_closes=window.closes,
                    created_on=today,
                )
            )
    return made


def rule_label(code: str) -> str:
    return rule_version(code).name


def rule_for_round(round_: Round) -> str:
    return rule_for(round_.evaluated_on).code


@transaction.atomic
def record_paper_scores(
    actor: User | None, *, evaluation: Evaluation, sheets: dict[User, dict[str, Decimal]]
) -> list[MemberScore]:
    """Enter the members' paper sheets of a past round (before the system): the coordination
    office records them as submitted; each is checked against the evaluation's sheet."""
    if actor is not None:
        _require(permissions.can_decide_certificate(actor, evaluation.product))
    if evaluation.finalized_at is not None:
        raise ValidationError(_("Kết quả đã được chốt."))
    sheet = evaluation_sheet(evaluation)
    members = set(evaluation.round.council.memberships.values_list("user_id", flat=True))
    saved = []
    for member, points in sheets.items():
        if member.pk not in members:
            raise ValidationError(_("%s không phải thành viên hội đồng.") % member.display_name)
        check_points(sheet, points)
        score = MemberScore(
            evaluation=evaluation,
            member=member,
            points={code: str(value) for code, value in points.items()},
            total=sum(points.values(), Decimal(0)),
            submitted=True,
        )
        _save(score, actor)
        saved.append(score)
    return saved
