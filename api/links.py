"""The links the domain sends out (core/links.py), built from the routes of the family that serves each one."""

from urllib.parse import urlencode

from django.urls import reverse

from core import links


def register_all() -> None:
    # tommy: an invitation is opened at GET /invitations/{token}; an email address is verified at GET /users/verify.
    links.register("invitation", lambda *, token: reverse("tommy:invitation-detail", kwargs={"token": token}))
    links.register(
        "email-verification",
        lambda *, email, code: reverse("tommy:users-verify") + "?" + urlencode({"email": email, "pin": code}),
    )
    # courier: the SMS provider reports a text's delivery status to its callback.
    links.register("sms-status-callback", lambda *, uid: reverse("courier:text-callback", kwargs={"uid": uid}))
    # courier: the SMS provider posts a number's inbound messages to its webhook (given when provisioning).
    links.register("sms-inbound", lambda *, uid: reverse("courier:text-number-inbound", kwargs={"uid": uid}))
