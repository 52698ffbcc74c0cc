"""Every write of the inbox, one module per area: channels (profile, QR codes), templates, directory (teams,
assistants, labels), contacts (blacklist, lists, notes), conversations (assignment, labels, status, comments,
unread), sending (queue, deliver, receipts), scheduled (scheduled replies), inbound (provider events), automated
(GREETING/AWAY), webhooks (the channel's webhooks and `emit`), payloads (the events' bodies)."""
