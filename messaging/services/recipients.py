"""Who a multicast goes to, and on which channels.

Recipients are active members of the multicast's team (courier individuals) chosen by a filter:

    all-participants    every active member                          filter-value {}
    individual-group    the members of one group                     {"individual-group-id": uuid}
    individuals         named individuals and/or groups (their union)
                        {"individual-ids": [...], "individual-group-ids": [...]}
    role                members whose job title is the role           {"role": "Cook"}   (case-insensitive)
    managers            owners, admins and workforce managers         {}

Channels per recipient: the multicast's channels ∩ the person's `notification_channels` ∩ what can reach them —
push: a registered device with a push token that allows notifications; sms: a verified phone that did not opt out of
this team (messaging.services.optouts' rule); email: a verified address.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Device, Membership, Team
from core.exceptions import NotFoundError, ValidationFailed
from messaging.models import IndividualGroup, SmsOptOut

FILTER_TYPES = ("all-participants", "individual-group", "individuals", "role", "managers")


@dataclass(frozen=True)
class Target:
    """A validated filter: what is stored on the multicast (`filter_type`, `filter_value` with uids as strings)."""

    filter_type: str
    filter_value: dict
    group: IndividualGroup | None = None
    individual: Membership | None = None


def _uuid_list(value, field: str) -> list[UUID]:
    if not isinstance(value, list) or not value:
        raise ValidationFailed.for_field(field, "Must be a non-empty list of ids.")
    try:
        return [UUID(str(item)) for item in value]
    except ValueError:
        raise ValidationFailed.for_field(field, "Every item must be a uuid.") from None


def _group(team: Team, uid, field: str) -> IndividualGroup:
    try:
        group = IndividualGroup.objects.filter(team=team, uid=UUID(str(uid))).first()
    except ValueError:
        group = None
    if group is None:
        raise NotFoundError("No such individual group.", details={field: ["No such individual group."]})
    return group


def target_for(*, team: Team, filter_type: str, filter_value: dict | None) -> Target:
    """Validate a filter against the team: every group and individual named must be the team's (404 otherwise)."""
    value = dict(filter_value or {})
    if filter_type not in FILTER_TYPES:
        raise ValidationFailed.for_field("filter_type", f"Must be one of {', '.join(FILTER_TYPES)}.")
    if filter_type in ("all-participants", "managers"):
        return Target(filter_type, {})
    if filter_type == "role":
        role = str(value.get("role") or "").strip()
        if not role:
            raise ValidationFailed.for_field("filter_value", 'Give the job title as {"role": "…"}.')
        return Target(filter_type, {"role": role[:150]})
    if filter_type == "individual-group":
        group = _group(team, value.get("individual-group-id"), "filter_value")
        return Target(filter_type, {"individual-group-id": str(group.uid)}, group=group)
    return individuals_target(
        team=team,
        individual_ids=value.get("individual-ids"),
        individual_group_ids=value.get("individual-group-ids"),
        field="filter_value",
    )


def individuals_target(*, team: Team, individual_ids, individual_group_ids, field: str | None = None) -> Target:
    """Named individuals and groups (user-multicasts): at least one of the two, every id the team's. When exactly
    one individual (or one group) is named, the multicast records it as its `individual-id` (`individual-group-id`)."""
    if not individual_ids and not individual_group_ids:
        raise ValidationFailed.for_field(field or "individual_ids", "Name individual-ids or individual-group-ids.")
    value: dict = {}
    individual = group = None
    if individual_ids:
        uids = set(_uuid_list(individual_ids, field or "individual_ids"))
        found = list(Membership.objects.active().filter(team=team, uid__in=uids))
        if len(found) != len(uids):
            message = "No such individual in this organization."
            raise NotFoundError(message, details={field or "individual_ids": [message]})
        value["individual-ids"] = sorted(str(uid) for uid in uids)
        individual = found[0] if len(found) == 1 else None
    if individual_group_ids:
        uids = _uuid_list(individual_group_ids, field or "individual_group_ids")
        groups = [_group(team, uid, field or "individual_group_ids") for uid in dict.fromkeys(uids)]
        value["individual-group-ids"] = [str(g.uid) for g in groups]
        group = groups[0] if len(groups) == 1 else None
    return Target("individuals", value, group=group, individual=individual)


def one_individual(individual: Membership) -> Target:
    return Target("individuals", {"individual-ids": [str(individual.uid)]}, individual=individual)


def _in_groups(group_uids: list[str]) -> Q:
    through = IndividualGroup.members.through
    return Q(Exists(through.objects.filter(membership_id=OuterRef("pk"), individualgroup__uid__in=group_uids)))


def recipients_q(filter_type: str, filter_value: dict) -> Q:
    """The filter as a condition on Membership (the team and `active()` are applied by `recipients`)."""
    if filter_type == "all-participants":
        return Q()
    if filter_type == "managers":
        return Q(status__in=[Membership.Status.OWNER, Membership.Status.ADMIN]) | Q(is_manager=True)
    if filter_type == "role":
        return Q(role__iexact=filter_value.get("role", ""))
    if filter_type == "individual-group":
        return _in_groups([filter_value["individual-group-id"]])
    condition = Q(pk__in=[])
    if filter_value.get("individual-ids"):
        condition |= Q(uid__in=filter_value["individual-ids"])
    if filter_value.get("individual-group-ids"):
        condition |= _in_groups(filter_value["individual-group-ids"])
    return condition


def recipients(*, team_id: int, filter_type: str, filter_value: dict) -> QuerySet[Membership]:
    return Membership.objects.active().filter(team_id=team_id).filter(recipients_q(filter_type, filter_value))


def with_channels(queryset: QuerySet[Membership], *, team_id: int) -> QuerySet[Membership]:
    """Annotate what can reach each recipient: `opted_out` (SMS, this team) and `has_push` (a device to push to)."""
    return queryset.annotate(
        opted_out=Exists(
            SmsOptOut.objects.filter(team_id=team_id, phone=OuterRef("user__phone"), opted_out=True).values("pk")
        ),
        has_push=Exists(
            Device.objects.filter(user_id=OuterRef("user_id"), allowed_notifications=True)
            .exclude(push_service="")
            .exclude(notification_token="")
            .values("pk")
        ),
    )


RECIPIENT_FIELDS = (
    "pk",
    "uid",
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__phone",
    "user__phone_verified_at",
    "user__email",
    "user__email_verified_at",
    "user__notification_channels",
    "opted_out",
    "has_push",
)


def reachable(row: dict, channel: str) -> bool:
    if channel == "sms":
        return bool(row["user__phone"] and row["user__phone_verified_at"] and not row["opted_out"])
    if channel == "email":
        return bool(row["user__email"] and row["user__email_verified_at"])
    return bool(channel == "push" and row["has_push"])


def channels_for(row: dict, allowed: list[str]) -> list[str]:
    """The channels one recipient row (RECIPIENT_FIELDS) is reached on, in the multicast's order."""
    wanted = row["user__notification_channels"]
    wanted = set(wanted) if isinstance(wanted, list) else set()
    return [channel for channel in allowed if channel in wanted and reachable(row, channel)]
