from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _console_access_after_migrate(sender, using="default", verbosity=1, **kwargs) -> None:
    """The "Team manager" group with its permissions, and console access for every current manager.

    Permissions of the apps after `accounts` are made by their own post_migrate later, so they are made here first.
    """
    from django.contrib.auth.management import create_permissions

    from accounts.services.console_access import console_access_grant_existing

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    console_access_grant_existing()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        post_migrate.connect(_console_access_after_migrate, sender=self, dispatch_uid="crewdesk-console-access")
        from accounts import signals

        signals.connect()
