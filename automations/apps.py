from django.apps import AppConfig


class AutomationsConfig(AppConfig):
    name = "automations"
    verbose_name = "Automations and syncs"

    def ready(self) -> None:
        # Events emitted by lower layers (shift published, timesheet submitted, SMS received) start runs of the
        # installs that listen to them (core.hooks: a port, so workforce and messaging never import automations).
        from automations.services.runs import runs_for_event
        from core import hooks

        hooks.register(runs_for_event)
