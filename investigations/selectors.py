"""Read queries over investigations; prefetching is decided here."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from investigations.effects import Effect
from investigations.models import Evidence, Incident, Investigation, OutboxMessage

ACTIVE_STATUSES = (Investigation.Status.INVESTIGATING, Investigation.Status.ESCALATED)


def _built_once(build: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    """`build`'s queryset, built once and cloned for each call (never evaluated itself).

    Resolving annotations and subqueries costs more CPU than running the query
    (a quarter of a millisecond for the open list); a clone costs a few
    microseconds. These run before Slack's ack, on every `/case` command.
    """
    built = lru_cache(maxsize=1)(build)
    return lambda: built().all()


def _failed_deliveries(investigation: Investigation | OuterRef) -> QuerySet[OutboxMessage]:
    """Deliveries that failed for good, PagerDuty's left out (the page's status says so)."""
    return OutboxMessage.objects.filter(
        investigation=investigation, status=OutboxMessage.Status.FAILED
    ).exclude(kind__in=(Effect.PAGERDUTY_TRIGGER, Effect.PAGERDUTY_RESOLVE))


_in_channel = _built_once(
    lambda: Investigation.objects.select_related("incident").annotate(
        evidence_count=Count("evidence"),
        any_failed_delivery=Exists(_failed_deliveries(OuterRef("pk"))),
    )
)


def investigation_get_by_channel(*, channel_id: str) -> Investigation | None:
    """The investigation whose Slack channel this is, with its incident.

    Also loaded: `evidence_count`, and `any_failed_delivery` (whether
    `outbox_failures_for` has anything to look at), so `/case status` needs
    no other query before its ack while nothing failed.
    """
    return _in_channel().filter(channel_id=channel_id).first()


def investigation_get(*, public_id: str) -> Investigation | None:
    return Investigation.objects.select_related("incident").filter(public_id=public_id).first()


def _open_with_evidence_count() -> QuerySet[Investigation]:
    evidence = (
        Evidence.objects.filter(investigation=OuterRef("pk"))
        .order_by()
        .values("investigation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Investigation.objects.filter(status__in=ACTIVE_STATUSES)
        .select_related("incident")
        .annotate(evidence_count=Coalesce(Subquery(evidence), 0, output_field=IntegerField()))
        .order_by("-opened_at", "-id")
    )


_open_investigations = _built_once(_open_with_evidence_count)


def investigation_list_open() -> QuerySet[Investigation]:
    """Open investigations (not pending, failed or closed), newest first.

    Callers slice it (a page of `/case list`, the picker's options): the
    evidence count is a subquery per row shown, not a GROUP BY over every open
    investigation, so a page costs the same with 20 or 10,000 open.
    """
    return _open_investigations()


@dataclass(frozen=True)
class PagerDutyStatus:
    """Where the incident's page stands, for `/case status` and the admin.

    `state` is the incident's PagerDuty state (disabled, pending, triggered,
    resolved, failed); `reason` is why it failed, or, while an event is
    being retried, what PagerDuty last answered. `sending` names the event
    still on its way ("trigger" or "resolve"), with its tries so far and the
    time of the next one.
    """

    state: str
    label: str
    reason: str = ""
    sending: str = ""
    attempts: int = 0
    next_attempt_at: datetime | None = None


_READ = object()


def incident_pagerduty_status(
    *, investigation: Investigation, incident: Incident | object | None = _READ
) -> PagerDutyStatus | None:
    """The page's delivery state; None when the investigation was never escalated.

    `incident`: the investigation's incident (None: it has none) when the
    caller has just loaded it with the investigation, as `/case status` does
    (`investigation_get_by_channel`); otherwise it is read here.
    """
    if incident is _READ:
        incident = Incident.objects.filter(investigation=investigation).first()
    if incident is None:
        return None
    state = Incident.PagerDutyState(incident.pagerduty_state)
    in_flight = (
        OutboxMessage.objects.filter(
            investigation=investigation,
            kind__in=(Effect.PAGERDUTY_TRIGGER, Effect.PAGERDUTY_RESOLVE),
            status=OutboxMessage.Status.PENDING,
        )
        .order_by("id")
        .first()
    )
    if in_flight is None:
        return PagerDutyStatus(state=state.value, label=state.label, reason=incident.pagerduty_error)
    return PagerDutyStatus(
        state=state.value,
        label=state.label,
        reason=in_flight.last_error or incident.pagerduty_error,
        sending=in_flight.kind.removeprefix("pagerduty."),
        attempts=in_flight.attempts,
        next_attempt_at=in_flight.next_attempt_at,
    )


@dataclass(frozen=True)
class FailedDelivery:
    """A side effect that failed for good, for `/case status` and the admin."""

    kind: str
    reason: str
    failed_at: datetime | None


def outbox_failures_for(
    *, investigation: Investigation, any_failed: bool = True
) -> list[FailedDelivery]:
    """Deliveries of this investigation that failed for good, oldest first.

    PagerDuty's are left out (the page's own status says so), and so is a
    failure a later delivery of the same kind made good (an announcement
    redrawn since, a retry from the admin). `any_failed=False`: the caller
    has just read that none failed (`investigation_get_by_channel`'s
    `any_failed_delivery`), so nothing is queried. Otherwise one plain query
    finds the failures (it runs before `/case status` is acked), and only
    failures cost a second, for the last delivery of their kinds.
    """
    if not any_failed:
        return []
    failed = list(_failed_deliveries(investigation).order_by("id"))
    if not failed:
        return []
    last_delivered = dict(
        OutboxMessage.objects.filter(
            investigation=investigation,
            status=OutboxMessage.Status.DELIVERED,
            kind__in={row.kind for row in failed},
        )
        .order_by()
        .values("kind")
        .annotate(last=Max("id"))
        .values_list("kind", "last")
    )
    return [FailedDelivery(kind=row.kind, reason=row.last_error, failed_at=row.failed_at)
            for row in failed if last_delivered.get(row.kind, 0) < row.id]
