"""`nongthon backup`: the database and the uploaded files in one checked archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nongthon.ops import backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp tải lên (MEDIA_ROOT) vào một tệp .tar.gz."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="Tệp kết quả (mặc định: $NONGTHON_DATA_DIR/backups/nongthon-<ngày giờ>.tar.gz)",
        )
        parser.add_argument(
            "--method",
            choices=backup.METHODS,
            help="sqlite (SQLite), pg_dump (PostgreSQL, mặc định khi có pg_dump), dumpdata "
            "(dự phòng, chỉ cần Django)",
        )

    def handle(self, *args, output: str | None, method: str | None, **options) -> None:
        if output is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = str(settings.DATA_DIR / "backups" / f"nongthon-{stamp}.tar.gz")
        try:
            manifest = backup.create_backup(Path(output), method)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = Path(output).stat().st_size
        self.stdout.write(
            f"Đã sao lưu vào {output} ({size / 1024 / 1024:.1f} MB): cơ sở dữ liệu "
            f"{manifest['engine']} ({manifest['method']}), {manifest['media_files']} tệp tải lên."
        )
