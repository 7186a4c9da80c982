"""Demo step: index the history records the earlier steps wrote in bulk (units, values), so the
audit log (Quản trị › Nhật ký hệ thống) shows the whole demo from the start."""

from collections.abc import Callable

from nongthon.audit.indexing import reindex


def build_audit(say: Callable[[str], None]) -> None:
    added = reindex()
    say(f"Nhật ký hệ thống: {added} mục ghi hàng loạt được lập chỉ mục.")
