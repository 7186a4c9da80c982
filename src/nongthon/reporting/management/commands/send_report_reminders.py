"""E-mail the units that owe a report, 7 and 1 days before its deadline and the day after a
missed one (run daily from cron or a systemd timer; running it twice sends nothing twice)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nongthon.places.models import Level, Unit
from nongthon.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị chưa gửi báo cáo (7 và 1 ngày trước hạn, và khi quá hạn)."

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
        province = None
        if options["province"]:
            provinces = Unit.objects.filter(level=Level.PROVINCE, code=options["province"])
            province = provinces.valid_on(on).first() or provinces.first()
            if province is None:
                raise CommandError(f"Không có tỉnh mã {options['province']}")
        sent = send_reminders(on, province)
        self.stdout.write(f"Đã gửi {sent} thư nhắc báo cáo ({on:%d/%m/%Y}).")
