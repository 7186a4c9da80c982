"""Write docs/permissions.md from nongthon.accounts.matrix (the table the tests check)."""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nongthon.settings")
django.setup()

from django.utils import translation  # noqa: E402

from nongthon.accounts.matrix import as_markdown, plan_as_markdown  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
INTRO = """# Permissions

Who may do what, per role and per commune, as `tests/test_permissions.py` checks it against
`nongthon/accounts/permissions.py`. This page is generated from `nongthon/accounts/matrix.py` by
`python scripts/render_permissions_doc.py`; a test fails when it is out of date.

The user holds the role at the unit in "Giữ tại" (the demo's Hậu Giang, Huyện Vị Thủy, Xã Vị Bình);
each row asks about one commune. "✓" allowed, "—" refused (pages answer 404 where the user may
not see the object at all, 403 where they see it but may not act).

"""

PLANS_INTRO = """
## Plans, targets, fund lines, tasks and statuses

The same roles and communes, asked about the commune's plan (a commune issues plans too; a
district's or the province's plans follow the same rules at their own unit: who holds a role at
that unit or above), the plan's task led by Sở Y tế of the commune's province (the department
officer's agency in the example), and the commune's yearly statuses (ấp văn hóa, hộ gia đình văn
hóa, bộ máy OCOP). The second header row names the function of
`nongthon/accounts/permissions.py` each column asks; `tests/test_permissions_plans.py` checks
every cell against it.

"""


def render() -> str:
    with translation.override("vi"):
        return INTRO + as_markdown() + "\n" + PLANS_INTRO + plan_as_markdown() + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
