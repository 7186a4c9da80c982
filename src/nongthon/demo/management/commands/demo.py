"""`nongthon demo`: build the demo database on SQLite (once), print the logins, serve it."""

import hashlib
import shutil
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from nongthon.accounts.models import User
from nongthon.demo.builder import DEMO_USERS, build_demo, logins_table


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu trình diễn (nếu chưa có), in tài khoản mẫu và chạy máy chủ."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="Xóa và tạo lại dữ liệu mẫu.")
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu, không chạy.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--national",
            action="store_true",
            help="Thêm dữ liệu minh họa toàn quốc (mọi xã, 5 năm; vài phút).",
        )
        parser.add_argument("--seed", type=int, default=None, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--province",
            action="append",
            help="Chỉ tạo dữ liệu toàn quốc cho tỉnh có mã này (lặp lại được).",
        )

    def handle(self, *args, **options) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            path = Path(db["NAME"])
            path.parent.mkdir(parents=True, exist_ok=True)
            if options["reset"]:
                for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    stale.unlink(missing_ok=True)
            migrate_from_template(path)
        else:
            call_command("migrate", interactive=False, verbosity=0)
        if options["reset"] or not User.objects.filter(username=DEMO_USERS[-1].username).exists():
            build_demo(self.stdout.write)
        if options["national"]:
            from nongthon.demo.national import DEFAULT_SEED, build_national

            seed = DEFAULT_SEED if options["seed"] is None else options["seed"]
            build_national(self.stdout.write, seed=seed, provinces=options["province"])
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn sẵn sàng. Tài khoản:"))
        self.stdout.write(logins_table())
        if not options["no_serve"]:
            self.stdout.write(f"Mở http://{options['addrport']}/")
            call_command("runserver", options["addrport"], use_reloader=False)


def migrate_from_template(path: Path) -> None:
    """A new SQLite database starts as a copy of one migrated before with the same migrations
    (kept in var/cache/): migrating from nothing renders the model states again for every
    operation, about 20 s of CPU, more than half the time of a demo reset."""
    digest = hashlib.sha256(django.get_version().encode())
    for migration in sorted(Path(settings.PACKAGE_DIR).glob("*/migrations/*.py")):
        digest.update(migration.read_bytes())
    template = path.parent / "cache" / f"migrated-{digest.hexdigest()[:16]}.sqlite3"
    fresh = not path.exists()
    if fresh and template.exists():
        shutil.copyfile(template, path)
    call_command("migrate", interactive=False, verbosity=0)
    if fresh and not template.exists():
        with connection.cursor() as cursor:  # the WAL folded in: the file alone is the database
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        template.parent.mkdir(parents=True, exist_ok=True)
        for old in template.parent.glob("migrated-*.sqlite3"):
            old.unlink()
        shutil.copyfile(path, template)
