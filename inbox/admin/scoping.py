"""Which teams and conversations a console user sees in the inbox: managers (owner, admin, workforce manager) every
conversation of the teams they run; agents (members an inbox team lists) the conversations assigned to them and
the unassigned ones on the channels they handle; superusers every team."""

from django.db.models import Q

from accounts.admin.scoping import picked_team, request_team_ids
from accounts.models import Membership, Team
from inbox.models import Conversation
from inbox.services.conversations import channels_handled_by


def inbox_teams(request):
    teams = Team.objects.filter(is_archived=False).order_by("name", "pk")
    if request.user.is_superuser:
        return teams
    agent_of = Membership.objects.active().filter(user=request.user, inbox_teams__isnull=False).values("team_id")
    return teams.filter(Q(pk__in=request_team_ids(request)) | Q(pk__in=agent_of))


def inbox_team(request):
    """The team the inbox page shows (accounts.admin.scoping.picked_team over inbox_teams)."""
    return picked_team(request, inbox_teams(request))


def membership_in(request, team) -> Membership | None:
    return Membership.objects.active().filter(team=team, user=request.user).select_related("user").first()


def visible_conversations(request, team):
    conversations = Conversation.objects.filter(team=team)
    if request.user.is_superuser or team.pk in request_team_ids(request):
        return conversations
    membership = membership_in(request, team)
    if membership is None:
        return conversations.none()
    return conversations.filter(
        Q(assignee_id=request.user.pk)
        | Q(assignee__isnull=True, assignee_assistant__isnull=True, channel__in=channels_handled_by(membership))
    )
