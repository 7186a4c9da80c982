"""Print the yearly maintenance review: titles that need review or whose revocation is due."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nongthon.places.models import Edition, Level, Unit
from nongthon.recognition.queries import maintenance_review


class Command(BaseCommand):
    help = "Rà soát duy trì danh hiệu: liệt kê danh hiệu cần rà soát / đề xuất thu hồi."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", default="93", help="mã tỉnh (danh mục trước 2025)")
        parser.add_argument("--year", type=int, default=dt.date.today().year - 1)
        parser.add_argument("--edition", default=Edition.PRE_2025)

    def handle(self, *args, **options) -> None:
        try:
            province = Unit.objects.get(
                edition=options["edition"], level=Level.PROVINCE, code=options["province"]
            )
        except Unit.DoesNotExist as exc:
            raise CommandError(f"Không có tỉnh mã {options['province']}") from exc
        rows = maintenance_review(province, options["year"])
        for row in rows:
            title = row.title
            self.stdout.write(
                f"{row.label}\t{title.unit.code} {title.unit.name}\t"
                f"{title.get_tier_display()} ({title.year})\t{row.reason}"
            )
        self.stdout.write(f"{len(rows)} danh hiệu cần xem xét năm {options['year']}.")
