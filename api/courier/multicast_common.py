"""What the courier multicast endpoints share: the template fields of a body, the `MulticastTaskResult` answer and
the multicast resource (with the documented include flags)."""

from rest_framework import status
from rest_framework.response import Response

from accounts.models import Membership
from accounts.visibility import Level
from api import people
from api.courier.documents import iso, resource
from core.exceptions import ValidationFailed
from messaging.models import Multicast
from messaging.services import recipients as recipient_rules
from messaging.services.multicasts import multicast_send


def template_fields(body: dict, *, data_field: str) -> tuple[str, dict]:
    """`template-id` (required, ≤255) and the template data (`data` or `template-data`, an object)."""
    template_id = body.get("template_id")
    problems = {}
    if not isinstance(template_id, str) or not template_id.strip():
        problems["template_id"] = ["This field is required."]
    elif len(template_id) > 255:
        problems["template_id"] = ["Ensure this field has no more than 255 characters."]
    data = body.get(data_field, {} if data_field == "data" else None)
    if not isinstance(data, dict):
        problems[data_field] = [
            "This field is required and must be an object." if data is None else "Must be an object."
        ]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], details=problems)
    return template_id.strip(), data


def send_to_one(*, individual: Membership, body: dict, data_field: str, by, source: str) -> Multicast:
    template_id, data = template_fields(body, data_field=data_field)
    return multicast_send(
        team=individual.team,
        template_id=template_id,
        params=data,
        by=by,
        target=recipient_rules.one_individual(individual),
        source=source,
        data_field=data_field,
    )


def multicast_answer(multicast: Multicast) -> Response:
    """201 MulticastTaskResult: `task-id` is the Celery id of the multicast's first task (its planning)."""
    message_data = {
        "multicast-id": str(multicast.uid),
        "template-id": multicast.template_id,
        "channels": multicast.channels,
        "status": multicast.status,
    }
    return Response({"message-data": message_data, "task-id": str(multicast.task_id)}, status=status.HTTP_201_CREATED)


def group_embed(group, lens) -> dict:
    """IndividualGroupEmbed (spec/courier.md "Shared embedded shapes"), people through the caller's lens."""
    members = list(group.members.all())
    leaders = list(group.leaders.all())
    lens.prime([m.user_id for m in members + leaders])
    individuals = []
    for member in members:
        level = lens.level(member.user_id)
        user = member.user
        individuals.append(
            {
                "birth-date": user.dob.isoformat() if level == Level.DETAILS and user.dob else None,
                "first-name": user.first_name if level else "",
                "id": str(member.uid),
                "last-name": user.last_name if level else "",
                "name": user.full_name if level else "",
                "owner": {"id": str(group.team.uid), "type": "organization"},
                "preferred-name": "",
                "verified": bool(level) and user.status == user.Status.ACTIVE,
            }
        )
    return {
        "individual-ids": [str(m.uid) for m in members],
        "individuals": individuals,
        "individuals-count": len(members),
        "leader-ids": [str(m.uid) for m in leaders],
        "leaders": [
            {
                "first-name": m.user.first_name if lens.level(m.user_id) else "",
                "id": str(m.uid),
                "last-name": m.user.last_name if lens.level(m.user_id) else "",
            }
            for m in leaders
        ],
        "name": group.name,
        "organization-id": str(group.team.uid),
    }


def channel_counts(multicasts) -> dict[int, dict]:
    """Per multicast: channel → {queued, sending, sent, delivered, failed, cancelled}, for a page in one query."""
    from messaging.services.multicast_ops import channel_counts as counts

    return counts(multicast_ids=[m.pk for m in multicasts])


def render_multicast(
    multicast: Multicast, request, *, include_group: bool, include_ids: bool, counts: dict | None = None
) -> dict:
    creator = multicast.created_by
    attributes = {
        "created-at": iso(multicast.created_at),
        "created-by": str(creator.uid) if creator else None,
        "data": multicast.data,
        "first-name": creator.first_name if creator else "",
        "individual-group-id": str(multicast.individual_group.uid) if multicast.individual_group else None,
        "individual-id": str(multicast.individual.uid) if multicast.individual else None,
        "last-name": creator.last_name if creator else "",
        "status": multicast.status,
        "template-args": {"filter-type": multicast.filter_type, "filter-value": multicast.filter_value},
        "template-id": multicast.template_id,
        "user-name": (creator.username or creator.slug) if creator else "",
        # Crewdesk additions: the progress the console shows.
        "channels": multicast.channels,
        "recipients-count": multicast.recipients_total,
        "channel-counts": (counts or {}).get(multicast.pk) or {c: {} for c in multicast.channels},
    }
    if include_group:
        group = multicast.individual_group
        attributes["individual-group"] = group_embed(group, people.lens({"request": request})) if group else None
    if include_ids:
        recipients = recipient_rules.recipients(
            team_id=multicast.team_id, filter_type=multicast.filter_type, filter_value=multicast.filter_value
        )
        attributes["individual-ids"] = [str(uid) for uid in recipients.order_by("pk").values_list("uid", flat=True)]
    return resource("multicasts", multicast.uid, attributes)
