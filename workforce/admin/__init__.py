"""The managers' console for the workforce app, one module per area; scoped with accounts.admin.TeamScopedAdminMixin."""

from workforce.admin import notices, people, shifts, time  # noqa: F401  (registers the admin pages)
