"""Console helpers: a logged-in staff member who manages one team only (not a superuser)."""

from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import Membership
from tests.factories import MembershipFactory, UserFactory


def staff_browser(team, apps=("workforce", "automations")) -> Client:
    manager = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label__in=apps))
    browser = Client()
    browser.force_login(manager)
    return browser


def superuser_browser() -> Client:
    from accounts.models import User

    root = User.objects.create_superuser(email="root@crewdesk.test", password="admin-pass-123", slug="root")
    browser = Client()
    browser.force_login(root)
    return browser
