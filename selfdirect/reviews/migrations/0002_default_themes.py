"""The council's starting list of learning themes; administrators can change it."""

from __future__ import annotations

from django.db import migrations

DEFAULT_THEMES = (
    ("Finding personal assistants", "Finding, keeping or employing personal assistants"),
    ("Provider reliability", "Care or support that did not turn up, was late or changed"),
    ("Direct payment paperwork", "Payroll, returns, audits and the account"),
    ("Community activities", "Groups, clubs, volunteering and things to do nearby"),
    ("Transport", "Getting out and about: buses, taxis, lifts, blue badges"),
)


def add_themes(apps, schema_editor):  # type: ignore[no-untyped-def]
    LearningTheme = apps.get_model("reviews", "LearningTheme")
    for name, description in DEFAULT_THEMES:
        LearningTheme.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
