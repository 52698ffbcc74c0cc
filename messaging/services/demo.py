"""Demo data for multicasts (`manage.py seed_demo`, `make run`): a few templates, among them `shift-reminder`
(taking `first_name` and `start`), and a group of the team's people, so the courier multicast endpoints and the
console's compose page can be tried at once."""

from django.db import transaction

from accounts.models import Membership, Team
from messaging.models import IndividualGroup, MessageTemplate

DEMO_TEMPLATES = {
    "shift-reminder": {
        "name": "Shift reminder",
        "sms_body": "Hi {{ first_name }}, your shift starts {{ start }}. Reply STOP to stop these texts.",
        "push_title": "Shift at {{ start }}",
        "push_body": "Hi {{ first_name }}, see you at {{ start }}.",
        "push_category": "shift",
        "email_subject": "Your shift starts {{ start }}",
        "email_text": "Hi {{ first_name }},\n\nyour shift starts {{ start }}.\n\n{{ organization }}",
    },
    "schedule-published": {
        "name": "Schedule published",
        "sms_body": "{{ first_name }}, the schedule for {{ week }} is out. Open the app to see your shifts.",
        "push_title": "Schedule for {{ week }}",
        "push_body": "Your shifts for {{ week }} are ready.",
        "push_category": "schedule",
    },
    "team-announcement": {
        "name": "Team announcement",
        "sms_body": "{{ organization }}: {{ message }}",
        "push_title": "{{ organization }}",
        "push_body": "{{ message }}",
        "email_subject": "News from {{ organization }}",
        "email_text": "Hi {{ first_name }},\n\n{{ message }}",
        "email_html": "<p>Hi {{ first_name }},</p><p>{{ message }}</p>",
    },
}
DEMO_GROUP = "Floor staff"


@transaction.atomic
def multicast_demo_seed(*, team: Team) -> list[str]:
    """Create the demo templates and the group (everyone in the team now, the owner leading); idempotent.
    Returns the template ids."""
    for template_id, parts in DEMO_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(team=team, template_id=template_id, defaults=parts)
    group, created = IndividualGroup.objects.get_or_create(team=team, name=DEMO_GROUP)
    if created:
        members = list(Membership.objects.active().filter(team=team))
        group.members.set(members)
        group.leaders.set([m for m in members if m.status == Membership.Status.OWNER])
    return list(DEMO_TEMPLATES)
