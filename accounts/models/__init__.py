"""The accounts domain model, one module per topic; import from `accounts.models`."""

from accounts.models.core import (
    RESERVED_SLUGS,
    Device,
    Membership,
    MembershipQuerySet,
    Team,
    User,
    UserManager,
    hash_secret,
    unique_slug,
)
from accounts.models.credentials import ApiKey, AuthToken, OneTimeCode
from accounts.models.events import ServerEvent, ServerEventRecipient
from accounts.models.social import Contact, Invitation
from accounts.models.team_resources import Integration, Setting

__all__ = [
    "RESERVED_SLUGS",
    "ApiKey",
    "AuthToken",
    "Contact",
    "Device",
    "Integration",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "OneTimeCode",
    "ServerEvent",
    "ServerEventRecipient",
    "Setting",
    "Team",
    "User",
    "UserManager",
    "hash_secret",
    "unique_slug",
]
