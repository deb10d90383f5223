"""Hand-built histories with chosen timestamps, for figures known in advance.

Rows are written directly (services stamp `now`); each helper keeps the
states consistent the way the services would: closed ⇒ closed_at,
escalated ⇒ an incident, resolved ⇒ resolved_at after escalated_at.
"""

import itertools
from datetime import UTC, datetime, timedelta

from investigations.models import Evidence, Incident, Investigation

NOW = datetime(2024, 6, 12, 12, 0, tzinfo=UTC)  # a Wednesday
_ids = itertools.count(1)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def case(
    *,
    opened: timedelta,
    by: str = "U_OPENER",
    escalated: timedelta | None = None,
    commander: str = "U_COMMANDER",
    resolved: timedelta | None = None,
    resolved_by: str = "",
    closed: timedelta | None = None,
    status: str | None = None,
    title: str = "API latency high",
    evidence: tuple[tuple[str, timedelta], ...] = (),
    save: bool = True,
    now: datetime = NOW,
) -> Investigation:
    """An investigation opened `opened` before `now`; other times also count back from it."""
    n = next(_ids)
    if status is None:
        status = "closed" if closed is not None else "escalated" if escalated is not None else "investigating"
    investigation = Investigation(
        name=f"case-hist-{n:06d}",
        title=title,
        status=status,
        channel_id=None if status in {"pending", "failed"} else f"CH{n:08d}",
        team_id="T1",
        opened_by=by,
        opened_at=now - opened,
        closed_by=by if closed is not None else "",
        closed_at=None if closed is None else now - closed,
    )
    if not save:
        return investigation
    investigation.save()
    if escalated is not None:
        Incident.objects.create(
            investigation=investigation,
            commander=commander,
            escalated_by=commander,
            escalated_at=now - escalated,
            resolved_by=(resolved_by or commander) if resolved is not None else "",
            resolved_at=None if resolved is None else now - resolved,
        )
    for i, (added_by, ago) in enumerate(evidence):
        Evidence.objects.create(
            investigation=investigation, source_channel_id="CSRC", message_ts=f"{n}.{i}",
            permalink=f"https://example.slack.com/archives/CSRC/p{n}{i}",
            added_by=added_by, added_at=now - ago,
        )
    return investigation


def many(count: int, *, start: int = 0) -> None:
    """`count` closed, escalated-and-resolved cases written in bulk."""
    investigations = Investigation.objects.bulk_create(
        case(opened=hours(100 + i % 50), closed=hours(1), escalated=hours(99), save=False)
        for i in range(start, start + count)
    )
    Incident.objects.bulk_create(
        Incident(
            investigation=investigation, commander=f"U{i % 7}", escalated_by=f"U{i % 7}",
            escalated_at=investigation.opened_at + hours(1),
            resolved_by=f"U{i % 5}", resolved_at=investigation.opened_at + hours(2 + i % 3),
        )
        for i, investigation in enumerate(investigations)
    )
    Evidence.objects.bulk_create(
        Evidence(
            investigation=investigation, source_channel_id="CSRC", message_ts=f"{investigation.pk}.1",
            permalink="https://example.slack.com/archives/CSRC/p1", added_by=f"U{i % 3}",
            added_at=investigation.opened_at + hours(1),
        )
        for i, investigation in enumerate(investigations)
    )
