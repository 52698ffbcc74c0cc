"""The multicast actions (issue 13's service landed): crewdesk-messaging asks for the `multicasts` permission (teams
that installed it before get it with PUT /addons/crewdesk-messaging/install), and two actions send a template."""

from django.db import migrations

MODELS = ("Developer", "Solution", "Addon", "Trigger", "Activity", "Action", "ActionVersion")


def load(apps, schema_editor):
    from automations.catalogue import catalogue_load

    catalogue_load(**{name: apps.get_model("automations", name) for name in MODELS})


class Migration(migrations.Migration):
    dependencies = [("automations", "0003_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
