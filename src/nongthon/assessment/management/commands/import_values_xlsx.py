"""`nongthon import_values_xlsx FILE --unit 935 --year 2023 --family xa-ntm --user tinh`:
the command-line path of the Excel import (the same checks, all or nothing, with progress)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongthon.accounts.models import User
from nongthon.assessment import values_excel
from nongthon.places.models import Edition, Unit


class Command(BaseCommand):
    help = (
        "Nhập số liệu chỉ tiêu từ tệp Excel mẫu (tải ở trang «Số liệu qua Excel»). Cả tệp được "
        "kiểm tra trước; có ô sai thì không lưu gì và liệt kê từng ô sai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .xlsx đã điền.")
        parser.add_argument("--unit", required=True, metavar="MÃ", help="Mã tỉnh, huyện hoặc xã.")
        parser.add_argument(
            "--edition",
            choices=Edition.values,
            default=Edition.PRE_2025,
            help="Danh mục đơn vị (mặc định: pre2025).",
        )
        parser.add_argument("--year", type=int, required=True, help="Năm số liệu.")
        parser.add_argument("--family", required=True, help="Họ bộ tiêu chí (vd. xa-ntm-2021).")
        parser.add_argument(
            "--user", required=True, help="Tên đăng nhập của người nhập (ghi vào lịch sử)."
        )

    def handle(self, *args, **options) -> None:
        units = list(Unit.objects.filter(edition=options["edition"], code=options["unit"]))
        if len(units) != 1:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}» trong danh mục {options['edition']}."
            )
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng «{options['user']}».")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\rĐã lưu {done}/{total} xã", ending="")
            self.stdout.flush()

        try:
            with path.open("rb") as upload:
                result = values_excel.import_values(
                    actor,
                    unit=units[0],
                    year=options["year"],
                    family=options["family"],
                    upload=upload,
                    progress=progress,
                )
        except PermissionDenied as exc:
            raise CommandError(
                f"{actor.username} không có quyền nhập số liệu của {units[0].name}."
            ) from exc
        except values_excel.ImportRefused as exc:
            raise CommandError(
                f"Tệp chưa được nhập, chưa lưu số liệu nào ({len(exc.problems)} lỗi):\n"
                + "\n".join(exc.messages)
            ) from exc
        self.stdout.write("")
        for tally in result.tallies:
            self.stdout.write(f"Dòng {tally.line}: {tally.commune.name}: {tally.changed} thay đổi")
        self.stdout.write(
            f"Tổng: {result.changed} số liệu thay đổi ở {result.communes_changed} xã."
        )
