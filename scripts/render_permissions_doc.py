"""Write docs/permissions.md from nongthon.accounts.matrix (the table the tests check)."""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nongthon.settings")
django.setup()

from django.utils import translation  # noqa: E402

from nongthon.accounts.matrix import as_markdown  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
INTRO = """# Permissions

Who may do what, per role and per commune, as `tests/test_permissions.py` checks it against
`nongthon/accounts/permissions.py`. This page is generated from `nongthon/accounts/matrix.py` by
`python scripts/render_permissions_doc.py`; a test fails when it is out of date.

The user holds the role at the unit in "Giữ tại" (the demo's Hậu Giang, Huyện Vị Thủy, Xã Vị Bình);
each row asks about one commune. "✓" allowed, "—" refused (pages answer 404 where the user may
not see the object at all, 403 where they see it but may not act).

"""


def render() -> str:
    with translation.override("vi"):
        return INTRO + as_markdown() + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
