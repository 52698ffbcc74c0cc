"""JIDs (Jabber IDs) name channels, contacts, teams, labels, lists and assistants: `local@domain` (spec/inbox.md
"JIDs"). Crewdesk keeps the document's domains (`31611111111@whatsapp.eazy.im`) so clients written against it parse
them unchanged; the kind of a channel decides its domain, and a contact's JID carries its channel's domain.
"""

import re
import secrets
import time

from core.exceptions import ValidationFailed

DOMAIN = "eazy.im"
PHONE_LOCAL = re.compile(r"^[1-9][0-9]{5,14}$")  # E.164 digits without the "+"
NAME_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
JID = re.compile(r"^(?P<local>[^@\s/]{1,64})@(?P<domain>[a-z0-9.-]{1,100})$")


class JidInvalid(ValidationFailed):
    """400 / 1005 "Jid is invalid" — the document's own example of a validation error."""

    def __init__(self, field: str = "jid"):
        super().__init__("Jid is invalid", details={field: ["Jid is invalid"]})


def kind_domain(kind: str) -> str:
    return f"{kind}.{DOMAIN}"


def split(jid: str, *, field: str = "jid") -> tuple[str, str]:
    match = JID.match(jid or "")
    if match is None:
        raise JidInvalid(field)
    return match["local"], match["domain"]


def contact_jid(jid: str, *, kind: str, phone_like: bool, field: str = "contactJid") -> str:
    """A contact JID valid for a channel of `kind`: its domain, and digits for phone-numbered networks."""
    local, domain = split((jid or "").strip().lower() if phone_like else (jid or "").strip(), field=field)
    if domain.lower() != kind_domain(kind):
        raise JidInvalid(field)
    pattern = PHONE_LOCAL if phone_like else NAME_LOCAL
    if not pattern.match(local):
        raise JidInvalid(field)
    return f"{local}@{domain.lower()}"


def phone_jid(phone: str, *, kind: str) -> str:
    """`+31611111111` → `31611111111@<kind>.eazy.im`."""
    return f"{phone.lstrip('+')}@{kind_domain(kind)}"


def phone_of(jid: str) -> str:
    """`31611111111@sms.eazy.im` → `+31611111111` (the E.164 phone of a phone-numbered JID)."""
    return "+" + jid.split("@", 1)[0]


def new_jid(kind: str) -> str:
    """A fresh JID for a label, team, list or assistant: a millisecond timestamp plus random digits, like the
    document's `1580486175684@label.eazy.im` (random digits keep two made in the same millisecond apart)."""
    return f"{int(time.time() * 1000)}{secrets.randbelow(10**6):06d}@{kind}.{DOMAIN}"
