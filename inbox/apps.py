from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Conversations inbox"

    def ready(self) -> None:
        from inbox.services.inbound import on_inbound_text
        from inbox.services.sending import on_text_status
        from messaging import hooks

        # SMS channels run on messaging's two-way SMS: its inbound texts and text statuses reach the inbox here
        # (messaging never imports the inbox; DESIGN.md §3).
        hooks.on_inbound_text(on_inbound_text)
        hooks.on_text_status(on_text_status)

        from accounts.services.console_access import ConsoleRole, register_console_role
        from inbox.services.directory import INBOX_AGENT_PERMISSIONS, inbox_agents

        # Agents an inbox team lists get the console's inbox page (accounts decides staff status through this port).
        register_console_role(
            ConsoleRole(group="Inbox agent", holders=inbox_agents, permissions=INBOX_AGENT_PERMISSIONS)
        )
