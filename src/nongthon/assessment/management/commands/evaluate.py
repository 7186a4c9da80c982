"""`nongthon evaluate`: recompute stored evaluations (all, one set, one province, some years)."""

import time

from django.core.management.base import BaseCommand, CommandError

from nongthon.assessment.evaluation import governed_units, recompute_set
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.places.models import Level, Unit


class Command(BaseCommand):
    help = "Tính lại kết quả đánh giá tiêu chí từ số liệu đã nhập."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--set", dest="code", help="Mã bộ tiêu chí (mặc định: mọi bộ đang áp dụng)"
        )
        parser.add_argument("--province", help="Chỉ tính cho các đơn vị của tỉnh có mã này")
        parser.add_argument("--year", type=int, action="append", help="Năm (lặp lại được)")

    def handle(self, *args, **options) -> None:
        sets = CriteriaSet.objects.filter(status=SetStatus.ACTIVE)
        if options["code"]:
            sets = sets.filter(code=options["code"])
            if not sets.exists():
                raise CommandError(f"Không có bộ tiêu chí đang áp dụng mã «{options['code']}».")
        provinces = None
        if options["province"]:
            provinces = Unit.objects.filter(level=Level.PROVINCE, code=options["province"].zfill(2))
            if not provinces.exists():
                raise CommandError(f"Không có tỉnh mã «{options['province']}».")
        total = 0
        started = time.perf_counter()
        for criteria_set in sets:
            units = governed_units(criteria_set)
            if provinces is not None:
                units = units.filter(province__in=provinces)
            stored = recompute_set(criteria_set, options["year"], units)
            total += stored
            self.stdout.write(f"{criteria_set.code} v{criteria_set.version}: {stored} kết quả")
        self.stdout.write(f"Tổng: {total} kết quả trong {time.perf_counter() - started:.1f} giây")
