"""Compile every .po under src/nongthon/locale to .mo with polib (GNU gettext not required)."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "src" / "nongthon" / "locale"
for po_path in root.glob("*/LC_MESSAGES/*.po"):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(root)}: {po.percent_translated()}% translated")
