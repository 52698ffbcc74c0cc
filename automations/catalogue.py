"""Crewdesk's own catalogue: its developer, addons and actions — loaded by data migrations (and by the tests, which
run without migrations) through `catalogue_load`, which upserts by key so a later migration can call it again.

An action's `variables` are built from its trigger and activity (automations/triggers.py, automations/activities/)
with the action's own `defaults`, so what GET /actions/{id}/variables answers is exactly what runs are checked
against.
"""

import copy

from automations.activities import activity_for
from automations.schedules import SCHEDULE_SCHEMA
from automations.triggers import TRIGGERS, trigger_for
from automations.variables import object_schema

DEVELOPER = {
    "key": "crewdesk",
    "name": "Crewdesk",
    "details": "The addons and actions that come with Crewdesk: texts, team chats, webhooks, shifts and hours.",
    "icon_url": "https://crewdesk.example/static/crewdesk/icon.png",
}
SOLUTIONS = [
    {
        "key": "shift-team-essentials",
        "name": "Shift team essentials",
        "summary": "Keep a shift team informed without chasing anyone.",
        "description": "Unfilled-shift and missed-clock-in alerts, a weekly shift template and the payroll e-mail.",
    }
]
ICON = "https://crewdesk.example/static/crewdesk/addons/{}.png"

ADDONS = [
    {
        "package": "crewdesk-messaging",
        "title": "Team messaging",
        "description": "Texts and team-chat posts started by a schedule, by shifts and clock-ins, or by a keyword "
        "texted to the team's number.",
        "roles": ["manager"],
        "recommended": True,
        "permissions": [
            {
                "name": "sms",
                "title": "Send text messages",
                "hint": "Texts members of the team (never anyone who replied STOP).",
                "resource_type": "Text",
                "resource_kind": "sms",
                "operations": ["send"],
            },
            {
                "name": "multicasts",
                "title": "Send multicasts",
                "hint": "Sends the team's message templates by SMS, push and e-mail, as each person chose.",
                "resource_type": "Multicast",
                "resource_kind": "multicast",
                "operations": ["send"],
            },
            {
                "name": "chats",
                "title": "Post in team chats",
                "hint": "Posts in group chats as the manager who installed the action.",
                "resource_type": "Chat",
                "resource_kind": "group",
                "operations": ["post"],
            },
        ],
        "settings_schema": object_schema(
            {
                "sms": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "signature": {
                            "type": "string",
                            "maxLength": 40,
                            "description": "A line added to every text this addon's actions send.",
                        }
                    },
                }
            }
        ),
        "input_devices": [{"type": "sms", "title": "Texts to the team's numbers (keyword triggers)"}],
        "locales": ["en"],
        "views": [
            {
                "id": 1,
                "title": "Installed actions",
                "type": "console",
                "path": "automations/actioninstall/",
                "index": True,
            }
        ],
    },
    {
        "package": "crewdesk-webhooks",
        "title": "Webhooks",
        "description": "Signed HTTP callbacks to your own systems when shifts are published, timesheets are "
        "submitted, or on demand.",
        "roles": ["admin"],
        "recommended": False,
        "permissions": [
            {
                "name": "webhooks",
                "title": "Call webhooks",
                "hint": "POSTs signed JSON to the URLs you give.",
                "resource_type": "WebhookDelivery",
                "resource_kind": "http",
                "operations": ["call"],
            }
        ],
        "settings_schema": object_schema({}),
        "input_devices": [{"type": "events", "title": "Shift and timesheet events of the team"}],
        "locales": ["en"],
        "views": [
            {
                "id": 1,
                "title": "Webhook deliveries",
                "type": "console",
                "path": "messaging/webhookdelivery/",
                "index": True,
            }
        ],
    },
    {
        "package": "crewdesk-scheduling",
        "title": "Scheduling helpers",
        "description": "A weekly shift template that fills next week's schedule, and the approved hours e-mailed "
        "to payroll.",
        "roles": ["manager"],
        "recommended": True,
        "permissions": [
            {
                "name": "shifts",
                "title": "Create and publish shifts",
                "hint": "Publishing texts the employees of the new shifts.",
                "resource_type": "Shift",
                "resource_kind": "shift",
                "operations": ["create", "publish"],
            },
            {
                "name": "timesheets",
                "title": "Export approved timesheets",
                "hint": "E-mails approved hours as CSV.",
                "resource_type": "Timesheet",
                "resource_kind": "timesheet",
                "operations": ["export"],
            },
        ],
        "settings_schema": object_schema(
            {
                "timesheet_export": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "recipients": {
                            "type": "array",
                            "maxItems": 20,
                            "items": {"type": "string", "maxLength": 254},
                            "description": "Who gets the approved-hours e-mail when an action names nobody.",
                        }
                    },
                }
            }
        ),
        "input_devices": [{"type": "schedule", "title": "A schedule in the team's time zone"}],
        "locales": ["en"],
        "views": [{"id": 1, "title": "Week board", "type": "console", "path": "workforce/shift/board/", "index": True}],
    },
]

ACTIONS = [
    # --- crewdesk-messaging ---
    {
        "key": "text-members",
        "addon": "crewdesk-messaging",
        "name": "Text a member or a group",
        "summary": "An SMS now, later, or on a schedule.",
        "trigger": "schedule",
        "activity": "send_sms",
    },
    {
        "key": "unfilled-shift-alert",
        "addon": "crewdesk-messaging",
        "name": "Alert managers about unfilled shifts",
        "summary": "Texts the managers when a shift still has nobody some hours before it starts.",
        "trigger": "shift_unfilled",
        "activity": "send_sms",
        "defaults": {
            "to": "group",
            "group": "managers",
            "message": "Shift {title} at {start_at} is still unfilled.",
        },
    },
    {
        "key": "missed-clock-in-alert",
        "addon": "crewdesk-messaging",
        "name": "Alert managers about a missed clock-in",
        "summary": "Texts the managers when someone has not clocked in after their shift started.",
        "trigger": "missed_clock_in",
        "activity": "send_sms",
        "defaults": {"to": "group", "group": "managers", "message": "No clock-in yet for {title} ({start_at})."},
    },
    {
        "key": "sms-keyword-reply",
        "addon": "crewdesk-messaging",
        "name": "Answer a texted keyword",
        "summary": "Texts back whoever sends the keyword to the team's number.",
        "trigger": "sms_keyword",
        "activity": "send_sms",
        "defaults": {"to": "trigger"},
    },
    {
        "key": "multicast-template",
        "addon": "crewdesk-messaging",
        "name": "Send a templated multicast",
        "summary": "A message template by SMS, push and e-mail to a group, now, later, or on a schedule.",
        "trigger": "schedule",
        "activity": "send_multicast",
    },
    {
        "key": "multicast-shift-published",
        "addon": "crewdesk-messaging",
        "name": "Multicast to the employee of a published shift",
        "summary": "Sends a template (e.g. shift-reminder with start = {start_at}) to the shift's employee.",
        "trigger": "shift_published",
        "activity": "send_multicast",
        "defaults": {"to": "trigger"},
    },
    {
        "key": "chat-post",
        "addon": "crewdesk-messaging",
        "name": "Post in a team chat",
        "summary": "A chat message now, later, or on a schedule.",
        "trigger": "schedule",
        "activity": "post_chat_message",
    },
    {
        "key": "chat-shift-published",
        "addon": "crewdesk-messaging",
        "name": "Announce published shifts in a team chat",
        "summary": "Posts each newly published shift in a group chat.",
        "trigger": "shift_published",
        "activity": "post_chat_message",
        "defaults": {"message": "New shift: {title} from {start_at} to {end_at}."},
    },
    # --- crewdesk-webhooks ---
    {
        "key": "webhook-timesheet-submitted",
        "addon": "crewdesk-webhooks",
        "name": "Webhook when a timesheet is submitted",
        "trigger": "timesheet_submitted",
        "activity": "call_webhook",
        "defaults": {"event_type": "timesheet.submitted"},
    },
    {
        "key": "webhook-shift-published",
        "addon": "crewdesk-webhooks",
        "name": "Webhook when a shift is published",
        "trigger": "shift_published",
        "activity": "call_webhook",
        "defaults": {"event_type": "shift.published"},
    },
    {
        "key": "webhook-manual",
        "addon": "crewdesk-webhooks",
        "name": "Call a webhook on demand",
        "summary": "Run it with any trigger_data; it is POSTed as it is.",
        "trigger": "manual",
        "activity": "call_webhook",
    },
    # --- crewdesk-scheduling ---
    {
        "key": "weekly-shift-template",
        "addon": "crewdesk-scheduling",
        "name": "Fill next week from a template",
        "summary": "Creates the week's shifts from a template of days and times, e.g. every Friday at 12:00.",
        "trigger": "schedule",
        "activity": "create_shifts_from_template",
    },
    {
        "key": "email-approved-timesheets",
        "addon": "crewdesk-scheduling",
        "name": "E-mail approved hours to payroll",
        "summary": "The approved timesheets of last week as CSV, e.g. every Monday at 08:00.",
        "trigger": "schedule",
        "activity": "export_timesheets_email",
        "unique": True,
    },
]


def variables_for(*, trigger: str, activity: str, defaults: dict | None = None) -> dict:
    """The action's typed variables: settings (trigger's + activity's, with the action's defaults), trigger_data,
    and the schedule object (a Crewdesk extension)."""
    trigger_type, activity_type = trigger_for(trigger), activity_for(activity)
    properties = copy.deepcopy({**trigger_type.settings, **activity_type.settings})
    for name, value in (defaults or {}).items():
        properties[name]["default"] = value
    required = [
        name
        for name in (*trigger_type.required_settings, *activity_type.required_settings)
        if "default" not in properties[name]
    ]
    data = object_schema(copy.deepcopy(trigger_type.data), trigger_type.required_data, additional=True)
    return {
        "settings": object_schema(properties, required),
        "trigger_data": data,
        "schedule": copy.deepcopy(SCHEDULE_SCHEMA),
    }


def _kind_of(trigger: str) -> str:
    return TRIGGERS[trigger].kind


def catalogue_load(*, Developer, Solution, Addon, Trigger, Activity, Action, ActionVersion) -> None:
    """Upsert the catalogue by key with the given model classes (a migration's historical models, or the real ones).
    An action whose trigger, activity or variables changed gets a new version; installs keep theirs."""
    from automations.activities import ACTIVITIES

    developer, _ = Developer.objects.update_or_create(
        key=DEVELOPER["key"], defaults={k: v for k, v in DEVELOPER.items() if k != "key"}
    )
    for solution in SOLUTIONS:
        Solution.objects.update_or_create(key=solution["key"], defaults={**solution, "developer": developer})
    triggers = {
        t.key: Trigger.objects.update_or_create(key=t.key, defaults={"name": t.name, "description": t.description})[0]
        for t in TRIGGERS.values()
    }
    activities = {
        a.key: Activity.objects.update_or_create(key=a.key, defaults={"name": a.name, "description": a.description})[0]
        for a in ACTIVITIES.values()
    }
    addons = {}
    for entry in ADDONS:
        fields = {k: v for k, v in entry.items() if k != "package"}
        icon = ICON.format(entry["package"])
        fields.update(developer=developer, author=developer.name, icon_url=icon)
        fields["views"] = [{**view, "icon_url": icon} for view in entry["views"]]
        addons[entry["package"]] = Addon.objects.update_or_create(package=entry["package"], defaults=fields)[0]
    for entry in ACTIONS:
        action, _ = Action.objects.update_or_create(
            key=entry["key"],
            defaults={
                "addon": addons[entry["addon"]],
                "developer": developer,
                "name": entry["name"],
                "summary": entry.get("summary", ""),
                "description": entry.get("description") or _describe(entry),
                "author": developer.name,
                "icon_url": ICON.format(entry["addon"]),
                "kind": _kind_of(entry["trigger"]),
                "unique": entry.get("unique", False),
                "dependencies": {"addon": entry["addon"]},
            },
        )
        variables = variables_for(trigger=entry["trigger"], activity=entry["activity"], defaults=entry.get("defaults"))
        trigger, activity = triggers[entry["trigger"]], activities[entry["activity"]]
        current = ActionVersion.objects.filter(pk=action.current_version_id).first()
        if current and (current.trigger_id, current.activity_id, current.variables) == (
            trigger.pk,
            activity.pk,
            variables,
        ):
            continue
        number = (current.number if current else 0) + 1
        version = ActionVersion.objects.create(
            action=action, number=number, trigger=trigger, activity=activity, variables=variables
        )
        Action.objects.filter(pk=action.pk).update(current_version=version)


def _describe(entry: dict) -> str:
    return f"{trigger_for(entry['trigger']).description} {activity_for(entry['activity']).description}"


def catalogue_load_current() -> None:
    """catalogue_load with today's models (tests, `make run` on a database migrated before a catalogue change)."""
    from automations import models

    catalogue_load(
        Developer=models.Developer,
        Solution=models.Solution,
        Addon=models.Addon,
        Trigger=models.Trigger,
        Activity=models.Activity,
        Action=models.Action,
        ActionVersion=models.ActionVersion,
    )
