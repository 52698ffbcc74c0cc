"""Who acts in the inbox: an agent (a member of the company; an API key acts as the manager who made it) or an
assistant (a call made with the API key bound to it). Services take an Actor so ownership rules and the names
written on notes, comments and echo events do not depend on which family or page made the call."""

from dataclasses import dataclass

from accounts.models import Membership, User


@dataclass(frozen=True)
class Actor:
    membership: Membership | None = None  # None: the system (automated messages, the sandbox, the console's demo)
    assistant: object | None = None  # an inbox.models.Assistant when the caller acts as one

    @property
    def user(self) -> User | None:
        return self.membership.user if self.membership is not None and self.assistant is None else None

    @property
    def label(self) -> str:
        """The identifier the document uses for who did it: the agent's email, or the assistant's JID."""
        if self.assistant is not None:
            return self.assistant.jid
        if self.membership is not None:
            return self.membership.user.email or ""
        return ""


SYSTEM = Actor()
