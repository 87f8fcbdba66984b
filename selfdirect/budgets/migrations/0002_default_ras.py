"""Publish the documented default RAS (budgets.ras.DEFAULT_RAS) so a new council can price at once."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def publish_default(apps, schema_editor):  # type: ignore[no-untyped-def]
    from selfdirect.budgets.ras import DEFAULT_RAS
    from selfdirect.budgets.ras_json import config_to_json

    RasVersion = apps.get_model("budgets", "RasVersion")
    if not RasVersion.objects.exists():
        RasVersion.objects.create(
            version=DEFAULT_RAS.version,
            config=config_to_json(DEFAULT_RAS),
            note="The default RAS shipped with selfdirect (see docs/RAS.md).",
            published_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]
    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
