"""Use cases that change the catalogue: load a set file, make a new version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from nongthon.catalogue.files import CatalogueFileError, FileProblem, SetData, parse_set_file
from nongthon.catalogue.models import CriteriaSet, Criterion, Indicator, SetStatus, Threshold
from nongthon.places.models import Edition, Level, Unit

DATA_DIR = Path(__file__).parent / "data"


@dataclass
class LoadOutcome:
    criteria_set: CriteriaSet
    action: str  # "created", "new_version", "unchanged", "replaced"

    def __str__(self) -> str:
        labels = {
            "created": "tạo mới",
            "new_version": "tạo phiên bản mới",
            "unchanged": "không đổi",
            "replaced": "cập nhật (phiên bản chưa dùng)",
        }
        s = self.criteria_set
        return f"{s.code} v{s.version}: {labels[self.action]}"


def _province_for(data: SetData, filename: str) -> Unit | None:
    if not data.province:
        return None
    edition = Edition.PRE_2025 if data.period_to <= 2025 else Edition.Y2025
    province = Unit.objects.filter(
        edition=edition, level=Level.PROVINCE, code=data.province.zfill(2)
    ).first()
    if province is None:
        raise CatalogueFileError(
            [FileProblem(filename, 0, "province", f"không có tỉnh mã «{data.province}»")]
        )
    return province


def _refined(data: SetData, filename: str) -> CriteriaSet | None:
    if not data.refines:
        return None
    base = CriteriaSet.objects.filter(code=data.refines, status=SetStatus.ACTIVE).first()
    if base is None:
        raise CatalogueFileError(
            [FileProblem(filename, 0, "refines", f"chưa có bộ tiêu chí «{data.refines}»")]
        )
    return base


@transaction.atomic
def store_set(
    data: SetData, source_file: str = "", actor=None, change_note: str = ""
) -> LoadOutcome:
    """Store `data` as the active version of its code; a version in use is never edited."""
    content_hash = data.content_hash()
    current = (
        CriteriaSet.objects.select_for_update()
        .filter(code=data.code, status=SetStatus.ACTIVE)
        .first()
    )
    if current is not None and current.content_hash == content_hash:
        return LoadOutcome(current, "unchanged")
    province = _province_for(data, source_file)
    refines = _refined(data, source_file)
    if current is not None and not current.evaluations.exists():
        current.criteria.all().delete()
        _fill(current, data, province, refines, source_file, content_hash, actor, change_note)
        current.save()
        _write_criteria(current, data)
        return LoadOutcome(current, "replaced")
    version = 1
    if current is not None:
        current.status = SetStatus.SUPERSEDED
        current.save(update_fields=["status"])
        version = current.version + 1
    new = CriteriaSet(code=data.code, version=version)
    _fill(new, data, province, refines, source_file, content_hash, actor, change_note)
    new.save()
    _write_criteria(new, data)
    return LoadOutcome(new, "new_version" if current is not None else "created")


def _fill(s, data, province, refines, source_file, content_hash, actor, change_note) -> None:
    s.name = data.name
    s.family = data.family or data.code
    s.level, s.tier = data.level, data.tier
    s.period_from, s.period_to = data.period_from, data.period_to
    s.basis_number, s.basis_date = data.basis_number, data.basis_date
    s.basis_article, s.basis_issuer, s.basis_note = (
        data.basis_article,
        data.basis_issuer,
        data.basis_note,
    )
    s.province, s.refines = province, refines
    s.region_overrides = data.region_overrides
    s.notes = data.notes
    s.source_file = source_file
    s.content_hash = content_hash
    s.status = SetStatus.ACTIVE
    s.created_by = actor
    s.change_note = change_note


def _write_criteria(s: CriteriaSet, data: SetData) -> None:
    for c in data.criteria:
        criterion = Criterion.objects.create(
            criteria_set=s,
            number=c.number,
            name=c.name,
            group=c.group,
            is_key=c.is_key,
            min_met=c.min_met,
            note=c.note,
        )
        for order, i in enumerate(c.indicators):
            indicator = Indicator.objects.create(
                criterion=criterion,
                code=i.code,
                name=i.name,
                unit_of_measure=i.unit,
                kind=i.kind,
                categories=i.categories,
                order=order,
                note=i.note,
                name_verified=i.name_verified,
            )
            Threshold.objects.bulk_create(
                Threshold(
                    indicator=indicator,
                    comparator=t.comparator,
                    value=t.value,
                    categories=t.categories,
                    region=t.region,
                    commune_group=t.group,
                    year=t.year,
                    source=t.source,
                    status=t.status,
                )
                for t in i.thresholds
            )


def load_set_file(path: Path, actor=None) -> LoadOutcome:
    text = path.read_text(encoding="utf-8")
    return store_set(parse_set_file(text, path.name), source_file=path.name, actor=actor)


def load_national_sets(progress=None) -> list[LoadOutcome]:
    """Every set file shipped under catalogue/data/, national ones before refinements."""
    files = sorted(DATA_DIR.glob("*.yaml"))
    outcomes = []
    for path in files:
        outcome = load_set_file(path)
        outcomes.append(outcome)
        if progress:
            progress(str(outcome))
    return outcomes


def active_set(code: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(code=code, status=SetStatus.ACTIVE).first()
