"""The funding sources are data (funding/data/sources.yaml): load them with the schema."""

from django.db import migrations


def load(apps, schema_editor):
    from nongthon.funding.sources import load_sources

    load_sources(apps.get_model("funding", "FundingSource"))


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
