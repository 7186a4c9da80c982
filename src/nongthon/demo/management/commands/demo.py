"""`nongthon demo`: build the demo database on SQLite (once), print the logins, serve it."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from nongthon.accounts.models import User
from nongthon.demo.builder import DEMO_USERS, build_demo, logins_table


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu trình diễn (nếu chưa có), in tài khoản mẫu và chạy máy chủ."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="Xóa và tạo lại dữ liệu mẫu.")
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu, không chạy.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **options) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            if options["reset"]:
                Path(db["NAME"]).unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"] or not User.objects.filter(username=DEMO_USERS[-1].username).exists():
            build_demo(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn sẵn sàng. Tài khoản:"))
        self.stdout.write(logins_table())
        if not options["no_serve"]:
            self.stdout.write(f"Mở http://{options['addrport']}/")
            call_command("runserver", options["addrport"], use_reloader=False)
