"""The inbox in the console: the inbox page and conversation view (console.py), channels and what configures them
(config.py), journals (journals.py). Every write goes through inbox.services, like the API's."""

from inbox.admin import config, console, journals  # noqa: F401  (registers the model admins)
