"""The managers' console for messaging, one module per topic: texts and numbers (provision, release, logging,
resend), inbound messages, consents and opt-outs, webhook deliveries (attempts, replay) and signing secrets, chats,
multicasts (compose, estimate, preview, progress, report, retry, cancel) with templates, groups, notifications, app
credentials and user emails.
Every write goes through the messaging services; staff who are not superusers see only the teams they manage."""

from messaging.admin import chats, consents, multicasts, texts, webhooks  # noqa: F401  (registers)
