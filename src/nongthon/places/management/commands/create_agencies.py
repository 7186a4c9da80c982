"""`nongthon create_agencies --province 93`: the default agencies of a province (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongthon.places import agencies
from nongthon.places.models import Edition, Level, Unit


class Command(BaseCommand):
    help = (
        "Tạo danh mục cơ quan mặc định (sở, ngành, phòng cấp huyện, UBND xã) cho một tỉnh, theo "
        "places/data/agencies.yaml. Chạy lại nhiều lần không tạo trùng, không ghi đè tên đã sửa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, metavar="MÃ", help="Mã tỉnh (vd. 93).")
        parser.add_argument(
            "--edition",
            choices=Edition.values,
            help="Danh mục (pre2025 hoặc 2025). Bỏ trống: mọi danh mục có mã tỉnh này.",
        )
        parser.add_argument(
            "--apply-mergers",
            metavar="YYYY-MM-DD",
            type=dt.date.fromisoformat,
            help=(
                "Cũng áp dụng việc sáp nhập sở năm 2025 (mục mergers của agencies.yaml) từ ngày "
                "này, cho tỉnh thuộc danh mục trước 2025. Cần --basis."
            ),
        )
        parser.add_argument("--basis", default="", help="Căn cứ sáp nhập của tỉnh (số, ngày QĐ).")

    def handle(self, *args, **options) -> None:
        provinces = Unit.objects.filter(level=Level.PROVINCE, code=options["province"])
        if options["edition"]:
            provinces = provinces.filter(edition=options["edition"])
        provinces = list(provinces.order_by("edition"))
        if not provinces:
            raise CommandError(
                f"Không có tỉnh mã «{options['province']}»"
                + (f" trong danh mục {options['edition']}" if options["edition"] else "")
                + ": hãy nạp danh mục đơn vị trước (nongthon load_units)."
            )
        if options["apply_mergers"] and not options["basis"].strip():
            raise CommandError("--apply-mergers cần --basis (số, ngày quyết định của tỉnh).")
        for province in provinces:
            counts = agencies.create_default_agencies(province)
            self.stdout.write(f"{province.name} ({province.get_edition_display()}): {counts}")
            if options["apply_mergers"]:
                self._merge(province, options["apply_mergers"], options["basis"])

    def _merge(self, province: Unit, on: dt.date, basis: str) -> None:
        sets = agencies.default_sets()
        self.stdout.write(f"Đã xác minh: {sets.mergers_basis}")
        if not sets.mergers_verified:
            self.stdout.write(
                self.style.WARNING(
                    "Ngày sáp nhập sở của từng tỉnh chưa được xác minh: căn cứ là văn bản bạn ghi."
                )
            )
        try:
            results = agencies.apply_mergers(None, province=province, on=on, basis=basis)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if not results:
            self.stdout.write("  Không có cơ quan nào cần sáp nhập.")
        for result in results:
            olds = ", ".join(a.name for a in result.ended)
            self.stdout.write(f"  {olds} → {result.into.name}")
