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
    qr, _ = qr_login_issue(user=teammate)
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
