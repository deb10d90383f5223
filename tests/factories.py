"""Test data made through the real services, so audit and outbox rows exist."""

import itertools

from investigations import services
from investigations.models import Investigation

_channels = itertools.count(1)


def next_channel_id() -> str:
    return f"C{next(_channels):09d}"


def investigation_opened(
    *, title: str = "API down", actor: str = "U0000000001", channel_id: str | None = None
) -> Investigation:
    """An investigation whose channel exists: phase INVESTIGATING."""
    investigation = services.investigation_open(title=title, opened_by=actor, team_id="T0000001")
    services.investigation_set_channel(
        investigation_id=investigation.pk, channel_id=channel_id or next_channel_id()
    )
    return services.investigation_activate(investigation_id=investigation.pk)


def investigation_escalated(*, actor: str = "U0000000002", **kwargs: str) -> Investigation:
    investigation = investigation_opened(**kwargs)
    services.investigation_escalate(investigation_id=investigation.pk, actor=actor)
    return Investigation.objects.get(pk=investigation.pk)


def investigation_resolved(*, actor: str = "U0000000002", **kwargs: str) -> Investigation:
    investigation = investigation_escalated(actor=actor, **kwargs)
    services.incident_resolve(investigation_id=investigation.pk, actor=actor)
    return Investigation.objects.get(pk=investigation.pk)


def investigation_closed(*, actor: str = "U0000000003", **kwargs: str) -> Investigation:
    investigation = investigation_opened(**kwargs)
    services.investigation_close(investigation_id=investigation.pk, actor=actor)
    return Investigation.objects.get(pk=investigation.pk)
