"""The caller's view of other people (accounts.visibility), shared by every family's serializers.

`lens(context)` answers "at which level does this request's caller see user N" and renders a `Person`; it is
memoised on the request, so one answer costs a constant number of queries however many people it shows.
Serializers take it from their context: `context["lens"]` when a view set one (public endpoints show the user
their own record), else the one of `context["request"]`. Without either nobody is visible (fail closed).
"""

from rest_framework import serializers

from accounts.visibility import PeopleLens, Viewer, self_viewer, viewer_of

_ATTR = "_crewdesk_people_lens"


def viewer(request) -> Viewer:
    return lens_of_request(request).viewer


def lens_of_request(request) -> PeopleLens:
    found = getattr(request, _ATTR, None)
    if found is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            found = PeopleLens(Viewer(user=_Nobody(), team_ids=frozenset()))
        else:
            found = PeopleLens(viewer_of(user=user, credential=getattr(request, "auth", None)))
        setattr(request, _ATTR, found)
    return found


def own_lens(user) -> PeopleLens:
    """For answers about the caller themselves before they hold a credential (sign-up, login, verification)."""
    return PeopleLens(self_viewer(user))


def lens(context: dict) -> PeopleLens:
    if context.get("lens") is not None:
        return context["lens"]
    request = context.get("request")
    if request is None:
        return PeopleLens(Viewer(user=_Nobody(), team_ids=frozenset()))
    return lens_of_request(request)


class _Nobody:
    """The viewer of an anonymous request: matches no user."""

    pk = None
    is_authenticated = False


class PersonListSerializer(serializers.ListSerializer):
    """Loads the levels of every person of the list at once (the child says whose: `person_ids(items)`)."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        lens(self.context).prime(self.child.person_ids(items))
        return super().to_representation(items)
