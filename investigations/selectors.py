"""Read queries over investigations; prefetching is decided here."""

from django.db.models import Count, QuerySet

from investigations.models import Investigation, OutboxMessage

ACTIVE_STATUSES = (Investigation.Status.INVESTIGATING, Investigation.Status.ESCALATED)


def investigation_get_by_channel(*, channel_id: str) -> Investigation | None:
    """The investigation whose Slack channel this is, with its incident."""
    return (
        Investigation.objects.select_related("incident")
        .annotate(evidence_count=Count("evidence"))
        .filter(channel_id=channel_id)
        .first()
    )


def investigation_get(*, public_id: str) -> Investigation | None:
    return Investigation.objects.select_related("incident").filter(public_id=public_id).first()


def investigation_list_open() -> QuerySet[Investigation]:
    """Open investigations (not pending, failed or closed), newest first."""
    return (
        Investigation.objects.filter(status__in=ACTIVE_STATUSES)
        .select_related("incident")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-opened_at", "-id")
    )


def outbox_list_for(*, investigation: Investigation) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(investigation=investigation).order_by("id")
