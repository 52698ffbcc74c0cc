"""Helpers of the automations tests: install addons and actions through the services, find catalogue rows."""

from accounts.models import Membership
from automations.models import Action, Addon
from automations.services import addons as addon_services
from automations.services import installs as install_services

API = "/api/v1"


def membership(team, user):
    return Membership.objects.get(team=team, user=user)


def action(key: str) -> Action:
    return Action.objects.select_related("addon", "current_version__activity").get(key=key)


def install_addon(team, user, package: str):
    addon = Addon.objects.get(package=package)
    return addon_services.addon_install(team=team, addon=addon, membership=membership(team, user), by=user)


def install_action(team, user, key: str, *, settings=None, schedule=None, **fields):
    """The action's addon first (if needed), then the action."""
    found = action(key)
    install_addon(team, user, found.addon.package)
    return install_services.action_install(
        team=team,
        action=found,
        membership=membership(team, user),
        by=user,
        settings=settings,
        schedule=schedule,
        **fields,
    )


def group_chat(team, *users, title: str = "Crew room"):
    """A group chat of the team with `users` in it."""
    from messaging.models import Chat, ChatParticipant

    chat = Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title=title)
    ChatParticipant.objects.bulk_create([ChatParticipant(chat=chat, user=u) for u in users])
    return chat
