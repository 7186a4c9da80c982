"""`nongthon audit_reindex`: index history records the audit log does not show yet."""

from django.core.management.base import BaseCommand

from nongthon.audit.indexing import reindex


class Command(BaseCommand):
    help = (
        "Đưa vào nhật ký hệ thống các bản ghi lịch sử chưa có (ghi hàng loạt, dữ liệu cũ). "
        "Chạy lại nhiều lần không sao."
    )

    def handle(self, *args, **options) -> None:
        added = reindex(self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Đã thêm {added} mục vào nhật ký."))
