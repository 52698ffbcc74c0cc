"""Reads of the SMS domain shared by the API, the admin and tasks."""

from collections.abc import Iterable
from uuid import UUID

from accounts.models import Team
from messaging.models import Text, TextAccount, TextNumber


def text_account_get(*, uid: UUID, team_ids: Iterable[int]) -> TextAccount | None:
    """A text account of one of `team_ids`; None when it does not exist or belongs to another team."""
    return TextAccount.objects.for_teams(team_ids).select_related("team").filter(uid=uid).first()


def text_number_get(*, uid: UUID, team_ids: Iterable[int]) -> TextNumber | None:
    return TextNumber.objects.for_teams(team_ids).filter(uid=uid).first()


def text_get_for_callback(*, uid: UUID) -> Text | None:
    """The provider's status callback carries no caller: the text is found by its unguessable uid alone."""
    return Text.objects.filter(uid=uid).first()


def team_id_get(*, uid: UUID, team_ids: Iterable[int]) -> int | None:
    """The pk of the team `uid` when it is one of `team_ids` (a read of the lower `accounts` app)."""
    return Team.objects.filter(uid=uid, pk__in=list(team_ids)).values_list("pk", flat=True).first()


def team_get(*, uid: UUID, team_ids: Iterable[int]) -> Team | None:
    """The team `uid` when it is one of `team_ids`."""
    return Team.objects.filter(uid=uid, pk__in=list(team_ids)).first()


def team_get_by_pk(*, pk: int) -> Team | None:
    return Team.objects.filter(pk=pk).first()
