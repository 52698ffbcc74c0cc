"""Writes that change what a credential may do or what `/me` shows set new epochs for the users concerned
(accounts/services/credential_cache.py). Saves and deletes arrive here; services that write with
`QuerySet.update` or `bulk_create` on these models call `user_epochs_bump` themselves."""

from django.db.models.signals import post_delete, post_save

from accounts.models import ApiKey, AuthToken, Device, Membership, Team, User
from accounts.services.epochs import user_epochs_bump


def _user_changed(sender, instance: User, **kwargs) -> None:
    user_epochs_bump([instance.pk])


def _owner_changed(sender, instance, **kwargs) -> None:
    """A membership, device or token: its user's; an API key: its maker's."""
    user_epochs_bump([instance.created_by_id if isinstance(instance, ApiKey) else instance.user_id])


def _team_changed(sender, instance: Team, **kwargs) -> None:
    """Name, icon, archive: seen by every member's `/me`, and an archived team's keys stop acting."""
    user_epochs_bump(Membership.objects.filter(team_id=instance.pk).values_list("user_id", flat=True))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"crewdesk-epoch-user-{signal is post_save}")
        signal.connect(_team_changed, sender=Team, dispatch_uid=f"crewdesk-epoch-team-{signal is post_save}")
        for model in (Membership, Device, AuthToken, ApiKey):
            signal.connect(
                _owner_changed, sender=model, dispatch_uid=f"crewdesk-epoch-{model.__name__}-{signal is post_save}"
            )
