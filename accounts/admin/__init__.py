"""The managers' console for people, teams, credentials and what hangs off them, one module per topic.

Secrets never reach a page: password hashes, `key_hash` and `code_hash` are left out of every form, list and
detail view. Writes that have rules (API keys, memberships, invitations) go through the same services as the APIs.
Staff who are not superusers see only the teams they manage (DESIGN.md §2), through TeamScopedAdminMixin, which
other apps import from here.
"""

from accounts.admin import credentials, events, social, team_resources, teams, users  # noqa: F401  (registers)
from accounts.admin.scoping import ReadOnlyAdminMixin, TeamScopedAdminMixin, UserJournalInline, managed_team_ids

__all__ = ["ReadOnlyAdminMixin", "TeamScopedAdminMixin", "UserJournalInline", "managed_team_ids"]
