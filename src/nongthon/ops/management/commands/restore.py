"""`nongthon restore FILE`: replace the database and the uploaded files with a backup's."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nongthon.ops import backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp tải lên từ một bản sao lưu (thay toàn bộ dữ liệu "
        "hiện có). Hãy dừng ứng dụng và tiến trình nền trước."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="Tệp .tar.gz do `nongthon backup` tạo")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Không hỏi xác nhận.",
        )

    def handle(self, *args, archive: str, interactive: bool, **options) -> None:
        if interactive:
            answer = input(
                "Khôi phục sẽ XÓA toàn bộ dữ liệu và tệp tải lên hiện có rồi thay bằng bản sao "
                f"lưu {archive}. Gõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy, không thay đổi gì.")
        try:
            outcome = backup.restore_backup(Path(archive))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = outcome.manifest
        self.stdout.write(
            f"Đã khôi phục bản sao lưu ngày {m['created_at']} (phiên bản {m['version']}, "
            f"{m['engine']}, {m['method']}): cơ sở dữ liệu và {outcome.media_files} tệp tải lên."
        )
        if outcome.pending_migrations:
            self.stdout.write(
                f"Bản sao lưu cũ hơn mã nguồn: còn {outcome.pending_migrations} migration, "
                "hãy chạy `nongthon migrate`."
            )
