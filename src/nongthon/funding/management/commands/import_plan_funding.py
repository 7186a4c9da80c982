"""`nongthon import_plan_funding FILE --unit 93 --year 2022 --user tinh`: the funding section of
a plan as written ("- Vốn lồng ghép: 149.039 triệu đồng"), every line or none."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongthon.accounts.models import User
from nongthon.funding import queries, services
from nongthon.funding.amounts import MoneyUnit, format_amount
from nongthon.funding.models import LineKind
from nongthon.places.models import Edition, Unit


class Command(BaseCommand):
    help = (
        "Nhập đoạn nguồn vốn của kế hoạch đúng như văn bản ghi (mỗi dòng «Nguồn vốn: số tiền "
        "đơn vị»), đối chiếu với tổng số văn bản nêu. Có dòng sai thì không lưu gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp văn bản (UTF-8).")
        parser.add_argument("--unit", required=True, metavar="MÃ", help="Mã tỉnh, huyện hoặc xã.")
        parser.add_argument("--edition", choices=Edition.values, default=Edition.PRE_2025)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=LineKind.values, default=LineKind.PLANNED)
        parser.add_argument("--document", default="", help="Tên văn bản (ghi kèm từng dòng).")
        parser.add_argument("--user", required=True, help="Người nhập (ghi vào lịch sử).")

    def handle(self, *args, **options) -> None:
        unit = Unit.objects.filter(edition=options["edition"], code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng «{options['user']}».")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            done = services.import_plan_text(
                actor, unit, options["year"], path.read_text(encoding="utf-8"),
                kind=options["kind"], document=options["document"],
            )  # fmt: skip
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for line in done.lines:
            self.stdout.write(f"{line.source.name}: {format_amount(line.amount, MoneyUnit.TRIEU)}")
        for check in queries.stated_checks(unit, options["year"]):
            if check.kind != options["kind"]:
                continue
            verdict = (
                "khớp"
                if check.matches
                else ("chênh lệch " + format_amount(check.difference, MoneyUnit.TRIEU))
            )
            self.stdout.write(f"Tổng văn bản ghi «{check.stated.written}»: {verdict}")
