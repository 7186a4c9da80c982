from django.core.management.base import BaseCommand

from nongthon.places.official_lists import load_units


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính (trước và từ 01/07/2025) và bảng chuyển đổi. "
        "Chạy lại nhiều lần cho cùng kết quả."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            metavar="MÃ",
            help="Mã tỉnh (vd. 93); lặp lại để nạp nhiều tỉnh. Bỏ trống: cả nước.",
        )

    def handle(self, *args, **options) -> None:
        load_units(options["province"], progress=self.stdout.write)
