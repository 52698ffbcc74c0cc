import pytest
from django.test import Client

from accounts.models import Membership, OneTimeCode
from accounts.services.codes import code_send, qr_login_issue
from accounts.services.credentials import api_key_create, auth_token_issue
from messaging.models import Text
from tests.factories import DeviceFactory, MembershipFactory, TextAccountFactory, TextNumberFactory, UserFactory


@pytest.fixture
def superuser(db):
    from accounts.models import User

    return User.objects.create_superuser(email="root@crewdesk.test", password="admin-pass-123", slug="root")


@pytest.fixture
def admin_browser(superuser):
    """Django's test client logged in as a superuser (the conftest `client` is a DRF client)."""
    c = Client()
    c.force_login(superuser)
    return c


@pytest.fixture
def console_data(team, owner, teammate, other_team, outsider, django_capture_on_commit_callbacks):
    """One row of every model the console shows, with secrets whose hashes must never reach a page."""
    key, key_plaintext = api_key_create(team=team, created_by=owner, name="console key", scopes=["CHANNEL"])
    token, token_plaintext = auth_token_issue(user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        issued = code_send(phone=owner.phone, purpose=OneTimeCode.Purpose.LOGIN, ip="10.0.0.1")
    qr, _ = qr_login_issue(user=teammate, auth_token=auth_token_issue(user=teammate)[0])
    device = DeviceFactory(user=owner)
    account = TextAccountFactory(team=team)
    number = TextNumberFactory(account=account)
    return {
        "key": key,
        "key_plaintext": key_plaintext,
        "token": token,
        "token_plaintext": token_plaintext,
        "code": issued.record,
        "qr": qr,
        "device": device,
        "account": account,
        "number": number,
        "text": Text.objects.get(purpose=Text.Purpose.OTP),
        "membership": Membership.objects.get(user=owner, team=team),
    }


@pytest.fixture
def manager_browser(team, owner):
    """A staff member who manages `team` only (not a superuser), with every accounts/messaging permission."""
    from django.contrib.auth.models import Permission

    manager = UserFactory(email="manager@crewdesk.test", is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["accounts", "messaging"]))
    c = Client()
    c.force_login(manager)
    return c


@pytest.fixture(autouse=True)
def invitation_route(monkeypatch):
    """invitation_send links to `tommy:invitation-detail` (the tommy invitations routes); until that route exists,
    stand in for the link so that the console tests run on their own."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("tommy:invitation-detail", kwargs={"token": "x" * 27})
    except NoReverseMatch:
        fake = lambda invitation: f"/api/v1/invitations/{invitation.token}"  # noqa: E731
        monkeypatch.setattr("accounts.services.invitations.invitation_link", fake)


def staff_browser(team, status=Membership.Status.ADMIN, **membership):
    """A logged-in staff member (not a superuser) of `team` with every accounts/messaging model permission."""
    from django.contrib.auth.models import Permission

    manager = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=manager, status=status, **membership)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["accounts", "messaging"]))
    c = Client()
    c.force_login(manager)
    c.user = manager
    return c


@pytest.fixture
def rival_browser(other_team, outsider):
    """The outsider manager: staff, not superuser, admin of `other_team` only."""
    return staff_browser(other_team)


def team_rows(team, user) -> dict[str, list]:
    """At least one row of every accounts model the console shows, belonging to `team` (through `user`, an active
    member of it only), reached by each scoping path the model has (team, or the owner's memberships)."""
    import datetime

    from django.utils import timezone

    from accounts.models import Contact, Integration, Invitation, OneTimeCode, Setting
    from accounts.services.credentials import api_key_create, auth_token_issue
    from accounts.services.events import publish_event
    from tests.factories import DeviceFactory

    key, _ = api_key_create(team=team, created_by=user, name=f"key of {team.name}")
    token, _ = auth_token_issue(user=user)
    code = OneTimeCode.objects.create(
        phone=user.phone,
        purpose=OneTimeCode.Purpose.LOGIN,
        user=user,
        code_hash=f"hash-{user.pk}",
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    return {
        "accounts.user": [user],
        "accounts.team": [team],
        "accounts.membership": [Membership.objects.get(team=team, user=user)],
        "accounts.device": [DeviceFactory(user=user)],
        "accounts.apikey": [key],
        "accounts.authtoken": [token],
        "accounts.onetimecode": [code],
        "accounts.contact": [
            Contact.objects.create(owner=user, team=team, friend=UserFactory(), status=Contact.Status.ACCEPTED),
            Contact.objects.create(owner=user, friend=UserFactory(), status=Contact.Status.PENDING),
        ],
        "accounts.invitation": [
            Invitation.objects.create(inviter=user, team=team, phone="+79160001111", membership_status="member"),
            Invitation.objects.create(inviter=user, email=f"friend-of-{user.pk}@example.com"),
        ],
        "accounts.setting": [
            Setting.objects.create(team=team, name="team.theme", data={"dark": True}),
            Setting.objects.create(user=user, name="me.theme", data={"dark": False}),
        ],
        "accounts.integration": [Integration.objects.create(team=team, kind=Integration.Kind.RAW, created_by=user)],
        "accounts.serverevent": [publish_event(name="server.team.updated", team=team, actor=user)],
    }
