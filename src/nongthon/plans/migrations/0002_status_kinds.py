from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "status_kinds.yaml"


def load(apps, schema_editor):
    StatusKind = apps.get_model("plans", "StatusKind")
    for item in yaml.safe_load(DATA.read_text())["statuses"]:
        StatusKind.objects.update_or_create(
            code=item["code"],
            defaults={k: item[k] for k in ("name", "applies_to", "source")},
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
