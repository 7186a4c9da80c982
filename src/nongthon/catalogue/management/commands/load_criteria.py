"""`nongthon load_criteria [TỆP ...]`: load criteria-set files (default: every shipped one).

Every file is read and checked before anything is stored: one bad file refuses the whole run and
every problem of every file is listed (file, line, field). A set that refines another is stored
after it and in its family. A set whose content changed is re-evaluated at once for the units
that have values, so stored results never lag behind a threshold.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nongthon.catalogue.files import CatalogueFileError, FileProblem, SetData, parse_set_file
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.catalogue.services import DATA_DIR, LoadOutcome, store_set


class Command(BaseCommand):
    help = (
        "Nạp bộ tiêu chí từ tệp YAML (mặc định: mọi tệp trong catalogue/data/). Tệp lỗi thì không "
        "lưu gì và liệt kê mọi lỗi (tệp, dòng, trường). Nạp lại tệp không đổi thì không tạo gì."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="*", metavar="TỆP", help="Tệp bộ tiêu chí (.yaml). Bỏ trống: mọi tệp."
        )
        parser.add_argument(
            "--note", default="", help="Nội dung và căn cứ thay đổi, ghi vào phiên bản mới."
        )

    def handle(self, *args, files: list[str], note: str, **options) -> None:
        paths = [Path(f) for f in files] or sorted(DATA_DIR.glob("*.yaml"))
        parsed, problems = read_all(paths)
        if problems:
            raise refusal(problems)
        try:
            with transaction.atomic():
                outcomes = [
                    store_set(data, source_file=path.name, change_note=note)
                    for path, data in with_families(load_order(parsed))
                ]
        except CatalogueFileError as exc:
            raise refusal(exc.problems) from exc
        for outcome in outcomes:
            self.stdout.write(str(outcome))
            if outcome.action != "unchanged":
                self._reevaluate(outcome)

    def _reevaluate(self, outcome: LoadOutcome) -> None:
        # Imported here: the catalogue does not depend on the assessment app, only this command.
        from nongthon.assessment.tasks import recompute_criteria_set
        from nongthon.ops.jobs import report_to_command

        def describe(count: int) -> None:
            if count:
                self.stdout.write(f"  đánh giá lại {count} kết quả (đơn vị × năm)")

        report_to_command(self, recompute_criteria_set.enqueue(outcome.criteria_set.pk), describe)


def read_all(paths: list[Path]) -> tuple[list[tuple[Path, SetData]], list[FileProblem]]:
    parsed: list[tuple[Path, SetData]] = []
    problems: list[FileProblem] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(FileProblem(path.name, 0, "", f"không tìm thấy tệp {path}"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(FileProblem(path.name, 0, "", f"không đọc được tệp ({exc})"))
            continue
        try:
            parsed.append((path, parse_set_file(text, path.name)))
        except CatalogueFileError as exc:
            problems.extend(exc.problems)
    return parsed, problems


def load_order(parsed: list[tuple[Path, SetData]]) -> list[tuple[Path, SetData]]:
    """Each set after the set it refines when both are in this run; otherwise as given."""
    pending = list(parsed)
    ordered: list[tuple[Path, SetData]] = []
    while pending:
        waiting_codes = {data.code for _path, data in pending}
        ready = [item for item in pending if item[1].refines not in waiting_codes]
        # A cycle (a refines b refines a) cannot be ordered: store_set refuses it by name.
        ready = ready or pending[:1]
        ordered.extend(ready)
        pending = [item for item in pending if item not in ready]
    return ordered


def with_families(ordered: list[tuple[Path, SetData]]) -> list[tuple[Path, SetData]]:
    """A refinement that does not write its family shares the family of the set it refines, so
    a commune's values are entered once (the web upload does the same)."""
    families = {data.code: data.family for _path, data in ordered}
    for _path, data in ordered:
        if data.refines and data.family == data.code:
            base = families.get(data.refines) or (
                CriteriaSet.objects.filter(code=data.refines, status=SetStatus.ACTIVE)
                .values_list("family", flat=True)
                .first()
            )
            if base:
                data.family = families[data.code] = base
    return ordered


def refusal(problems: list[FileProblem]) -> CommandError:
    lines = "\n".join(f"  - {p}" for p in problems)
    return CommandError(
        f"Không nạp bộ tiêu chí nào ({len(problems)} lỗi); chưa có gì được lưu:\n{lines}"
    )
