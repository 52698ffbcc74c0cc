from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging (SMS)"

    def ready(self) -> None:
        from core import sms
        from messaging.services import system_text_queue

        # Lower layers (accounts' login codes) send SMS through the core port; messaging provides it.
        sms.install_sender(system_text_queue)
