"""Send the e-mail reminders of the day (run daily from cron or a systemd timer)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nongthon.ops.jobs import report_to_command
from nongthon.places.models import Level, Unit
from nongthon.plans.tasks import send_task_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc các nhiệm vụ sắp đến hạn (7 và 1 ngày trước hạn) và vừa quá hạn."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính (dd/mm/yyyy); mặc định hôm nay")
        parser.add_argument("--province", help="Mã tỉnh (danh mục trước 2025 trước, rồi 2025)")

    def handle(self, *args, **options):
        on = dt.date.today()
        if options["date"]:
            try:
                on = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
            except ValueError as exc:
                raise CommandError("Ngày phải có dạng dd/mm/yyyy") from exc
        scope = None
        if options["province"]:
            provinces = Unit.objects.filter(level=Level.PROVINCE, code=options["province"])
            scope = provinces.valid_on(on).first() or provinces.first()
            if scope is None:
                raise CommandError(f"Không có tỉnh mã {options['province']}")
        # A background job: sent at once on the immediate backend, else by the worker.
        result = send_task_reminders.enqueue(on.isoformat(), scope.pk if scope else None)
        report_to_command(
            self, result, lambda sent: self.stdout.write(f"Đã gửi {sent} thư nhắc ({on:%d/%m/%Y}).")
        )
