"""State the tada ws-over-HTTP sample needs, applied by test_tada_contract.py after the teams preparation made the
caller the owner of `{team_uid}`: a teammate to write to (the sample's `to`) and an earlier message in their chat,
so `prev` is a uuid as in the sample."""

import re

from accounts.models import Team
from messaging.chats import chat_message_send, direct_chat_get_or_create
from tests.factories import MembershipFactory, UserFactory


def prepare_ws(entry, caller, path: str, body: dict) -> tuple[str, dict]:
    if "/ws/" not in entry["path"]:
        return path, body
    team = Team.objects.get(uid=re.search(r"/teams/([0-9a-f-]{36})/", path).group(1))
    teammate = UserFactory()
    MembershipFactory(team=team, user=teammate)
    chat = direct_chat_get_or_create(team=team, user_a=teammate, user_b=caller.user)
    chat_message_send(chat=chat, sender=teammate, content={"text": "привет", "type": "plain"})
    return path.replace("{client_event_name}", "client.message.updated"), {**body, "to": f"d-{teammate.uid}"}
