"""Courier people (issue 13): memberships get a uid (the courier individual id), users their notification channels,
devices the courier user-device fields. Existing rows get a fresh uuid each before the column becomes unique."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import accounts.models.core


def fill_uids(apps, schema_editor):
    for name in ("Membership", "Device"):
        model = apps.get_model("accounts", name)
        rows = list(model.objects.filter(uid__isnull=True).only("pk"))
        for row in rows:
            row.uid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_token_issued_by")]

    operations = [
        migrations.AddField(model_name="membership", name="uid", field=models.UUIDField(null=True, editable=False)),
        migrations.AddField(model_name="device", name="uid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="device", name="uid", field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
        ),
        migrations.AddField(
            model_name="user",
            name="notification_channels",
            field=models.JSONField(blank=True, default=accounts.models.core.default_notification_channels),
        ),
        migrations.AddField(
            model_name="device",
            name="individual",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="devices",
                to="accounts.membership",
            ),
        ),
        migrations.AddField(
            model_name="device",
            name="push_service",
            field=models.CharField(
                blank=True,
                choices=[("apn", "Apple Push Notification service"), ("fcm", "Firebase Cloud Messaging"), ("web", "Web Push")],
                max_length=8,
            ),
        ),
        migrations.AddField(model_name="device", name="app_name", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="device", name="app_version", field=models.CharField(blank=True, max_length=20)),
        migrations.AddField(model_name="device", name="device_model", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="device", name="os_version", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="device", name="topic", field=models.CharField(blank=True, max_length=255)),
    ]
