"""Notifications after they are made: acknowledging them (which lowers the person's badge), badge counts set by
clients, daily counts, and the communication summary of an individual."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from accounts.models import Membership
from messaging.models import BadgeCount, CommunicationSummary, Delivery, Text, UserNotification


@transaction.atomic
def notification_ack(*, notification: UserNotification, ack_previous: bool = False) -> UserNotification:
    """Acknowledge the notification (and, with `ack_previous`, every earlier one of the same person in the same
    organization); the person's `notifications` badge goes down by the number newly acknowledged (never below 0)."""
    now = timezone.now()
    rows = UserNotification.objects.filter(individual_id=notification.individual_id, acknowledged=False)
    if ack_previous:
        rows = rows.filter(Q(created_at__lt=notification.created_at) | Q(pk=notification.pk))
    else:
        rows = rows.filter(pk=notification.pk)
    acked = rows.update(acknowledged=True, acknowledged_at=now)
    if acked:
        BadgeCount.objects.filter(individual_id=notification.individual_id, type=BadgeCount.NOTIFICATIONS).update(
            count=Greatest(F("count") - acked, 0), updated_at=now
        )
    notification.refresh_from_db()
    return notification


@transaction.atomic
def badge_count_set(*, individual: Membership, type: str, count: int, timestamp: str = "") -> BadgeCount:
    """Upsert by (individual, type): the organization is the individual's."""
    row, _ = BadgeCount.objects.select_for_update(of=("self",)).get_or_create(
        individual=individual, type=type, defaults={"team_id": individual.team_id, "count": count}
    )
    row.count, row.timestamp = count, timestamp
    row.save(update_fields=["count", "timestamp", "updated_at"])
    return row


@transaction.atomic
def badge_counts_set(*, values: list[dict]) -> int:
    """Many at once (bulk-badge-counts): each value is {individual, type, count, timestamp}; one transaction."""
    for value in values:
        badge_count_set(**value)
    return len(values)


def notification_counts(queryset, *, since=None, until=None):
    """Notifications per user per day over `queryset` (already scoped), in one query: dicts of user uid, date,
    count, newest day first."""
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    if until is not None:
        queryset = queryset.filter(created_at__lte=until)
    return (
        queryset.annotate(day=TruncDate("created_at"))
        .values("user__uid", "day")
        .annotate(count=Count("id"))
        .order_by("-day", "user__uid")
    )


@dataclass(frozen=True)
class SummaryCounts:
    messages: int
    notifications: int
    provider_messages: int
    video_channels: int
    message_types: list
    message_senders: list


@transaction.atomic
def communication_summary_recalculate(*, individual: Membership) -> CommunicationSummary:
    """Count what the organization sent the individual: notifications (multicasts), texts to their phone and
    multicast SMS (provider messages), emails and pushes; and who sent them (by the senders' individual ids)."""
    notifications = UserNotification.objects.filter(individual=individual)
    # Through the individual's notifications: deliveries are indexed by (multicast, individual, channel) only.
    deliveries = (
        Delivery.objects.filter(individual=individual, multicast_id__in=notifications.values("multicast_id"))
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    by_channel = dict(deliveries.order_by())
    texts = 0
    if individual.user.phone:
        texts = Text.objects.filter(team_id=individual.team_id, to=individual.user.phone).count()
    senders = (
        notifications.exclude(multicast__created_by__isnull=True)
        .values("multicast__created_by_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    sender_uids = dict(
        Membership.objects.filter(
            team_id=individual.team_id, user_id__in=[s["multicast__created_by_id"] for s in senders]
        ).values_list("user_id", "uid")
    )
    types = [
        {"count": notifications.count(), "message-type": "notifications"},
        {"count": by_channel.get("sms", 0) + texts, "message-type": "sms"},
        {"count": by_channel.get("push", 0), "message-type": "push"},
        {"count": by_channel.get("email", 0) + individual.emails.count(), "message-type": "emails"},
    ]
    summary, _ = CommunicationSummary.objects.update_or_create(
        individual=individual,
        defaults={
            "messages": 0,  # chat messages: courier messaging-channels are not built yet
            "notifications": types[0]["count"],
            "provider_messages": types[1]["count"],
            "video_channels": 0,
            "message_types": types,
            "message_senders": [
                {"count": s["n"], "individual-id": str(sender_uids[s["multicast__created_by_id"]])}
                for s in senders
                if s["multicast__created_by_id"] in sender_uids
            ],
        },
    )
    return summary


def communication_summary_of(*, individual: Membership) -> CommunicationSummary:
    found = CommunicationSummary.objects.filter(individual=individual).first()
    return found or communication_summary_recalculate(individual=individual)
