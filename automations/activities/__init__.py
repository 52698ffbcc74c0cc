"""What a run does: the code behind the catalogue's Activity rows (matched by `key`). See base.py for the interface."""

from automations.activities.base import Activity, ActivityFailed, RunContext, TransientFailure
from automations.activities.messages import PostChatMessage, SendSms
from automations.activities.multicasts import SendMulticast
from automations.activities.webhooks import CallWebhook
from automations.activities.workforce import CreateShiftsFromTemplate, ExportApprovedTimesheets

ACTIVITIES: dict[str, Activity] = {
    a.key: a
    for a in (
        SendSms(),
        SendMulticast(),
        PostChatMessage(),
        CallWebhook(),
        CreateShiftsFromTemplate(),
        ExportApprovedTimesheets(),
    )
}


def activity_for(key: str) -> Activity:
    try:
        return ACTIVITIES[key]
    except KeyError:
        raise LookupError(f"No activity {key!r} in automations/activities/") from None


__all__ = ["ACTIVITIES", "Activity", "ActivityFailed", "RunContext", "TransientFailure", "activity_for"]
