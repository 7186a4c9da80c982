"""`nongthon load_ocop_sheets`: load the shipped score sheets (data/sheets/*/*.yaml)."""

from django.core.management.base import BaseCommand

from nongthon.ocop.services import load_shipped_sheets


class Command(BaseCommand):
    help = "Nạp các phiếu đánh giá OCOP kèm theo (QĐ 1048, 148, 26/2026)"

    def handle(self, *args, **options) -> None:
        created, changed = load_shipped_sheets()
        self.stdout.write(f"Phiếu mới: {created}, cập nhật: {changed}")
