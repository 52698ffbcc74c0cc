"""Outbound webhook plumbing: which addresses a callback may reach, the HTTP call to a checked address, and the
Standard Webhooks signature. The outbox itself (rows, retries, ordering) is messaging.services.webhooks."""
