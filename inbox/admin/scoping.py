"""Which teams and conversations a console user sees in the inbox: managers (owner, admin, workforce manager) every
conversation of the teams they run; agents (members an inbox team lists) the conversations assigned to them and
the unassigned ones on the channels they handle; superusers every team."""

from django.db.models import Q
from django.http import Http404

from accounts.admin.scoping import request_team_ids
from accounts.models import Membership, Team
from inbox.models import Conversation
from inbox.services.conversations import channels_handled_by

_SESSION_KEY = "crewdesk_inbox_team"


def inbox_teams(request):
    teams = Team.objects.filter(is_archived=False).order_by("name", "pk")
    if request.user.is_superuser:
        return teams
    agent_of = Membership.objects.active().filter(user=request.user, inbox_teams__isnull=False).values("team_id")
    return teams.filter(Q(pk__in=request_team_ids(request)) | Q(pk__in=agent_of))


def inbox_team(request):
    """`?team=` (404 unless the user may see it), else the last picked, else the first; None without any."""
    teams = inbox_teams(request)
    wanted = request.GET.get("team") or request.POST.get("team")
    if wanted:
        team = teams.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if team is None:
            raise Http404("No such team.")
    else:
        remembered = request.session.get(_SESSION_KEY)
        team = (teams.filter(pk=remembered).first() if remembered else None) or teams.first()
    if team is not None:
        request.session[_SESSION_KEY] = team.pk
    return team


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
