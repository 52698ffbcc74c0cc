"""publish_event: the ONE way any part of Crewdesk records a server event (tada `server.*`).

Events are rows (ServerEvent + one ServerEventRecipient per user), written in the caller's transaction, so a
rolled-back change publishes nothing. A later realtime issue delivers undelivered recipient rows; producers
never change.
"""

from collections.abc import Iterable

from django.db import transaction

from accounts.models import Membership, ServerEvent, ServerEventRecipient, Team, User


def team_member_ids(team: Team) -> list[int]:
    """Default recipients: the team's active members (an invitee who has not accepted is not one)."""
    members = Membership.objects.filter(team=team, is_active=True, invitation_pending=False)
    return list(members.values_list("user_id", flat=True))


@transaction.atomic
def publish_event(
    *,
    name: str,
    team: Team | None = None,
    actor: User | None = None,
    payload: dict | None = None,
    recipient_ids: Iterable[int] | None = None,
) -> ServerEvent:
    """Record event `name` for `recipient_ids` (default: every active member of `team`)."""
    if not name.startswith("server."):
        raise ValueError(f"Server event names start with 'server.', got {name!r}.")
    recipients = sorted(set(recipient_ids if recipient_ids is not None else (team_member_ids(team) if team else [])))
    event = ServerEvent.objects.create(name=name, team=team, actor=actor, payload=payload or {})
    ServerEventRecipient.objects.bulk_create([ServerEventRecipient(event=event, user_id=uid) for uid in recipients])
    return event
