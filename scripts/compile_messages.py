"""Compile every .po (the project's src/nongthon/locale and each app's own locale dir) to .mo
with polib (GNU gettext not required)."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "src" / "nongthon"
for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(root)}: {po.percent_translated()}% translated")
