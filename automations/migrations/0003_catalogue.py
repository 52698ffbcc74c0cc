"""Crewdesk's own developer, addons and actions (automations/catalogue.py). Superusers edit them in the admin; a
later catalogue change is a new migration calling the same loader (it upserts by key, new action versions only
where an action's trigger, activity or variables changed)."""

from django.db import migrations

MODELS = ("Developer", "Solution", "Addon", "Trigger", "Activity", "Action", "ActionVersion")


def load(apps, schema_editor):
    from automations.catalogue import catalogue_load

    catalogue_load(**{name: apps.get_model("automations", name) for name in MODELS})


class Migration(migrations.Migration):
    dependencies = [("automations", "0002_catalogue_installs_runs")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
