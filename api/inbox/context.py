"""Who is calling the inbox, in which company, as whom — the family's one caller context (DESIGN.md §1).

An inbox company is a Crewdesk team, and the document's credential is a company API key: the key's own team, acted
in as the manager who made it. A user token acts in the user's current team (tommy's current-account rule,
accounts.selectors.current_membership), so one person sees the same company in every family. Reading the team's API
keys is for its managers (accounts.permissions.Action.READ_API_KEYS).
"""

from accounts.models import Membership, Team
from accounts.permissions import Action, may
from accounts.selectors import current_membership
from api.authentication import CredentialMixin
from core.exceptions import NotFoundError, PermissionDeniedError
from inbox import jids
from inbox.actors import Actor
from inbox.models import Assistant, Channel

_UNSET = object()


class InboxContextMixin(CredentialMixin):
    _company_membership = _UNSET

    def company_membership(self) -> Membership | None:
        if self._company_membership is _UNSET:
            self._company_membership = current_membership(
                user=self.request.user, api_key=self.api_key(), team_ids=self.caller_team_ids()
            )
        return self._company_membership

    def caller_company(self) -> Team:
        membership = self.company_membership()
        if membership is None:
            raise NotFoundError("No company for this caller.")
        return membership.team

    def company_queryset(self):
        """The companies this credential may act in: the one place Team (the tenant itself) is scoped."""
        return Team.objects.filter(pk__in=self.caller_team_ids(), is_archived=False).order_by("id")

    def actor(self) -> Actor:
        """Who acts: the assistant bound to the API key that authenticated the call, else the member (an API key
        acting as its maker). A disabled assistant's key acts for nobody (403)."""
        membership = self.company_membership()
        if membership is None:
            raise NotFoundError("No company for this caller.")
        key = self.api_key()
        assistant = Assistant.objects.filter(api_key=key).first() if key is not None else None
        if assistant is None:
            return Actor(membership=membership)
        if not assistant.enabled or assistant.team_id != membership.team_id:
            raise PermissionDeniedError("This assistant is disabled.")
        return Actor(membership=membership, assistant=assistant)

    def channel(self, jid: str) -> Channel:
        """A channel of the caller's company by JID: malformed → 400 / 1005, another company's or none → 404."""
        jids.split(jid, field="channelJid")
        found = Channel.objects.filter(team=self.caller_company(), jid=jid).first()
        if found is None:
            raise NotFoundError("Channel not found.")
        return found

    def require(self, action: Action) -> Membership:
        membership = self.company_membership()
        if membership is None:
            raise NotFoundError("No company for this caller.")
        if not may(membership, action):
            raise PermissionDeniedError("Only the company's owners, admins and managers may do this.")
        return membership
