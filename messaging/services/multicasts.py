"""Multicasts: validate and store one (answering at once), check template data for one person, estimate before
sending, preview. The fan-out itself is messaging.services.fanout; sending per channel messaging.services.deliveries.

`multicast_send` is the one door for every caller: the courier endpoints, the console's compose page and
automations (issue 14).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import Membership, Team, User
from core.exceptions import NotFoundError, ValidationFailed
from messaging import templating
from messaging.models import IndividualGroup, MessageTemplate, Multicast
from messaging.models.multicasts import CHANNELS
from messaging.services import recipients as recipient_rules
from messaging.sms.segments import segments

ESTIMATE_RENDER_LIMIT = 5000  # above this many SMS recipients the estimate renders an even sample of them
ESTIMATE_SAMPLE = 1000


def template_get(*, team: Team, template_id: str, field: str = "template_id") -> MessageTemplate:
    template = MessageTemplate.objects.filter(team=team, template_id=template_id).first()
    if template is None:
        message = f"No template {template_id!r} in this organization."
        raise NotFoundError(message, details={field: [message]})
    return template


def channels_for_template(parts: dict, channels: Iterable[str] | None) -> list[str]:
    offered = templating.channels_of(parts)
    if channels is None:
        return offered
    channels = list(dict.fromkeys(channels))
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ValidationFailed.for_field("channels", f"Unknown channel {unknown[0]!r}: use push, sms or email.")
    chosen = [c for c in channels if c in offered]
    if not chosen:
        raise ValidationFailed.for_field("channels", "The template has no content for any of these channels.")
    return chosen


def check_template_data(*, parts: dict, data: dict, field: str = "data") -> None:
    problems = templating.check_data(parts, data)
    if problems:
        details = {f"{field}.{name}": messages for name, messages in problems.items()}
        raise ValidationFailed(f"The template data does not fit the template: {_summary(problems)}", details=details)


@dataclass(frozen=True)
class Checked:
    """A template and data that fit: the template, the parts its chosen channels use, and those channels."""

    template: MessageTemplate
    parts: dict
    channels: list[str]


def multicast_check(
    *, team: Team, template_id: str, params: dict, channels: Iterable[str] | None = None, data_field: str = "data"
) -> Checked:
    """The checks of `multicast_send` without storing anything (the estimate and the compose page use them): the
    template exists, the channels are known and offered by it, and the data fits the parts of those channels."""
    template = template_get(team=team, template_id=template_id, field="template_id")
    chosen = channels_for_template(template.parts(), channels)
    parts = templating.parts_for(template.parts(), chosen)
    check_template_data(parts=parts, data=params, field=data_field)
    return Checked(template, parts, chosen)


def _summary(problems: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {messages[0].split(':')[0]}" for name, messages in problems.items())


def _target(*, team, recipients, group, target, filter_type, filter_value) -> recipient_rules.Target:
    if target is not None:
        return target
    if group is not None:
        if group.team_id != team.pk:
            raise NotFoundError("No such individual group.", details={"individual_group_ids": ["No such group."]})
        return recipient_rules.Target("individual-group", {"individual-group-id": str(group.uid)}, group=group)
    if recipients is not None:
        members = _memberships(team=team, people=recipients)
        if len(members) == 1:
            return recipient_rules.one_individual(members[0])
        return recipient_rules.Target("individuals", {"individual-ids": sorted(str(m.uid) for m in members)})
    return recipient_rules.target_for(team=team, filter_type=filter_type, filter_value=filter_value)


def _memberships(*, team: Team, people: Iterable) -> list[Membership]:
    """Users or memberships → the team's active memberships (404 when someone is not an active member)."""
    people = list(people)
    member_ids = {p.pk for p in people if isinstance(p, Membership)}
    user_ids = {p.pk for p in people if isinstance(p, User)}
    found = list(
        Membership.objects.active().filter(team=team).filter(pk__in=member_ids)
        | Membership.objects.active().filter(team=team, user_id__in=user_ids)
    )
    if not people or len(found) != len(member_ids) + len(user_ids):
        raise NotFoundError("No such individual in this organization.", details={"individual_ids": ["No such one."]})
    return found


@transaction.atomic
def multicast_send(
    *,
    team: Team,
    template_id: str,
    params: dict | None = None,
    by: User | None = None,
    recipients: Iterable | None = None,
    group: IndividualGroup | None = None,
    target: recipient_rules.Target | None = None,
    filter_type: str = "all-participants",
    filter_value: dict | None = None,
    channels: Iterable[str] | None = None,
    source: str = Multicast.Source.MULTICAST,
    data_field: str = "data",
) -> Multicast:
    """Validate, store and queue a multicast; it is fanned out by Celery once this transaction commits.

    Recipients: `recipients` (users or memberships of the team), or a `group`, or a `target` (a validated filter),
    or `filter_type`/`filter_value` (messaging.services.recipients). `params` are the template's variables; a
    variable the template needs and nobody gives, or one given that no part uses, is a validation error (nothing is
    stored). `channels` limits the channels (default: every channel the template has content for).
    """
    params = dict(params or {})
    checked = multicast_check(
        team=team, template_id=template_id, params=params, channels=channels, data_field=data_field
    )
    template, chosen = checked.template, checked.channels
    resolved = _target(
        team=team,
        recipients=recipients,
        group=group,
        target=target,
        filter_type=filter_type,
        filter_value=filter_value,
    )
    multicast = Multicast.objects.create(
        team=team,
        created_by=by if by is not None and by.pk else None,
        source=source,
        message_template=template,
        template_id=template.template_id,
        parts=checked.parts,
        data=params,
        filter_type=resolved.filter_type,
        filter_value=resolved.filter_value,
        individual_group=resolved.group,
        individual=resolved.individual,
        channels=chosen,
    )
    _enqueue_plan(multicast)
    return multicast


def _enqueue_plan(multicast: Multicast) -> None:
    from messaging.tasks import multicast_plan_task

    # robust: a broker that is down must not turn the committed multicast into a 500; the sweeper plans multicasts
    # still `pending` a minute on.
    transaction.on_commit(
        lambda: multicast_plan_task.apply_async(args=[multicast.pk], task_id=str(multicast.task_id)), robust=True
    )


# --- checking data for one person, previews -----------------------------------------------------------------------


def context_for(individual: Membership, *, params: dict) -> dict:
    user = individual.user
    return {
        **params,
        **templating.recipient_context(
            first_name=user.first_name, last_name=user.last_name, organization=individual.team.name
        ),
    }


@dataclass(frozen=True)
class Validation:
    success: bool
    info: str


def multicast_validate(*, team: Team, template_id: str, data: dict, individual: Membership) -> Validation:
    """Render the template for `individual` with `data` without sending anything: every missing or unknown
    variable (and anything else that stops rendering) is reported in `info`."""
    template = MessageTemplate.objects.filter(team=team, template_id=template_id).first()
    if template is None:
        return Validation(False, f"No template {template_id!r} in this organization.")
    parts = template.parts()
    problems = templating.check_data(parts, data)
    try:
        templating.render(parts, context_for(individual, params=data))
    except templating.TemplateProblem as exc:
        for name, messages in exc.problems.items():
            problems.setdefault(name, messages)
    if problems:
        lines = [f"{name}: {'; '.join(messages)}" for name, messages in problems.items()]
        return Validation(False, "\n".join(lines))
    return Validation(True, f"The template renders for {individual.user.full_name or 'this individual'}.")


def multicast_preview(*, parts: dict, params: dict, individual: Membership) -> templating.Rendered:
    return templating.render(parts, context_for(individual, params=params))


# --- the estimate --------------------------------------------------------------------------------------------------


@dataclass
class Estimate:
    recipients: int = 0
    channels: dict = field(default_factory=dict)  # channel -> recipients reached on it
    unreachable: int = 0  # recipients no channel reaches
    sms_segments: int = 0
    sms_encodings: dict = field(default_factory=dict)  # "GSM-7"/"UCS-2" -> SMS
    sms_cost: Decimal = Decimal(0)
    currency: str = ""
    sampled: bool = False


def multicast_estimate(
    *, team: Team, parts: dict, params: dict, target: recipient_rules.Target, channels: list[str]
) -> Estimate:
    """Before sending: recipients per channel, SMS segments (GSM-7 or UCS-2 per rendered body) and their cost at
    SMS_COST_PER_SEGMENT. Bodies are rendered for every SMS recipient up to ESTIMATE_RENDER_LIMIT, else for an even
    sample of ESTIMATE_SAMPLE, scaled (`sampled`)."""
    rows = list(
        recipient_rules.with_channels(
            recipient_rules.recipients(
                team_id=team.pk, filter_type=target.filter_type, filter_value=target.filter_value
            ),
            team_id=team.pk,
        )
        .order_by("pk")
        .values(*recipient_rules.RECIPIENT_FIELDS)
    )
    estimate = Estimate(recipients=len(rows), channels=dict.fromkeys(channels, 0), currency=settings.SMS_COST_CURRENCY)
    sms_rows = []
    for row in rows:
        reached = recipient_rules.channels_for(row, channels)
        estimate.unreachable += not reached
        for channel in reached:
            estimate.channels[channel] += 1
        if "sms" in reached:
            sms_rows.append(row)
    sample = sms_rows
    if len(sms_rows) > ESTIMATE_RENDER_LIMIT:
        step = len(sms_rows) / ESTIMATE_SAMPLE
        sample = [sms_rows[int(i * step)] for i in range(ESTIMATE_SAMPLE)]
        estimate.sampled = True
    scale = len(sms_rows) / len(sample) if sample else 0
    encodings: dict[str, int] = {}
    total = 0
    for row in sample:
        context = {
            **params,
            **templating.recipient_context(
                first_name=row["user__first_name"], last_name=row["user__last_name"], organization=team.name
            ),
        }
        body = templating.render(parts, context, only=["sms"]).sms_body
        counted = segments(body)
        total += counted.count
        encodings[counted.encoding] = encodings.get(counted.encoding, 0) + 1
    estimate.sms_segments = round(total * scale)
    estimate.sms_encodings = {name: round(n * scale) for name, n in encodings.items()}
    estimate.sms_cost = (Decimal(settings.SMS_COST_PER_SEGMENT) * estimate.sms_segments).quantize(Decimal("0.0001"))
    return estimate


def estimate_of(multicast: Multicast) -> Estimate:
    target = recipient_rules.Target(multicast.filter_type, multicast.filter_value)
    return multicast_estimate(
        team=multicast.team, parts=multicast.parts, params=multicast.data, target=target, channels=multicast.channels
    )
