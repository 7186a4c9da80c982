"""`nongthon ocop_reminders`: run daily; reminds the commune and the coordination office of
each certificate whose re-evaluation window (180–120 days before expiry) is open."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from nongthon.ocop.tasks import ocop_reminders
from nongthon.ops.jobs import report_to_command


class Command(BaseCommand):
    help = "Nhắc nộp hồ sơ đánh giá lại các giấy chứng nhận OCOP sắp hết hạn"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="ngày chạy (YYYY-MM-DD), mặc định hôm nay")

    def handle(self, *args, **options) -> None:
        day = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        # A background job: run at once on the immediate backend, else by the worker.
        result = ocop_reminders.enqueue(day.isoformat())
        report_to_command(self, result, lambda made: self.stdout.write(f"Nhắc việc mới: {made}"))
