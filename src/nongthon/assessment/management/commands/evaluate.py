"""`nongthon evaluate`: recompute stored evaluations (all, one set, one province, some years).

The work is a background job (assessment.tasks.recompute_evaluations): it runs at once on the
immediate backend, or is queued for `nongthon db_worker` in production.
"""

from django.core.management.base import BaseCommand, CommandError

from nongthon.assessment.tasks import recompute_evaluations
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.ops.jobs import report_to_command
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
        code, province = options["code"], options["province"]
        if code and not CriteriaSet.objects.filter(status=SetStatus.ACTIVE, code=code).exists():
            raise CommandError(f"Không có bộ tiêu chí đang áp dụng mã «{code}».")
        if province and not Unit.objects.filter(level=Level.PROVINCE, code=province.zfill(2)):
            raise CommandError(f"Không có tỉnh mã «{province}».")
        years = options["year"]
        result = recompute_evaluations.enqueue(set_code=code, province=province, years=years)
        report_to_command(self, result, self._describe)

    def _describe(self, outcome: dict) -> None:
        for line in outcome["sets"]:
            self.stdout.write(f"{line['code']} v{line['version']}: {line['stored']} kết quả")
        self.stdout.write(f"Tổng: {outcome['total']} kết quả trong {outcome['seconds']:.1f} giây")
