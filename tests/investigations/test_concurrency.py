"""Concurrent actions on one investigation, on real PostgreSQL connections."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from investigations import services
from investigations.exceptions import InvestigationError
from investigations.models import AuditEvent, Evidence, Incident, Investigation, OutboxMessage
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(action: Callable[[int], object], times: int = 8) -> list[object]:
    """Run `action(i)` in `times` threads released together; collect results."""
    barrier = threading.Barrier(times)
    results: list[object] = [None] * times

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action(index)
        except InvestigationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def successes(results: list[object]) -> list[object]:
    return [r for r in results if not isinstance(r, InvestigationError)]


def test_simultaneous_escalations_make_one_incident():
    investigation = factories.investigation_opened()
    results = race(
        lambda i: services.investigation_escalate(investigation_id=investigation.pk, actor=f"U{i}")
    )
    assert len(successes(results)) == 1
    assert Incident.objects.filter(investigation=investigation).count() == 1
    assert AuditEvent.objects.filter(investigation=investigation, action="escalated").count() == 1
    assert OutboxMessage.objects.filter(kind="slack.escalation_notice").count() == 1


def test_simultaneous_closes_close_once():
    investigation = factories.investigation_opened()
    results = race(
        lambda i: services.investigation_close(investigation_id=investigation.pk, actor=f"U{i}")
    )
    assert len(successes(results)) == 1
    assert AuditEvent.objects.filter(investigation=investigation, action="closed").count() == 1
    assert OutboxMessage.objects.filter(kind="slack.archive_channel").count() == 1


def test_simultaneous_identical_evidence_makes_one_row():
    investigation = factories.investigation_opened()
    results = race(
        lambda i: services.evidence_add(
            investigation_id=investigation.pk, actor=f"U{i}", source_channel_id="C42",
            message_ts="1700000000.000200",
            permalink="https://example.slack.com/archives/C42/p1700000000000200",
        )
    )
    assert len(successes(results)) == 1
    assert Evidence.objects.filter(investigation=investigation).count() == 1


def test_simultaneous_resolve_and_close_never_close_an_active_incident():
    investigation = factories.investigation_escalated()

    def resolve_or_close(i: int) -> object:
        if i % 2:
            return services.incident_resolve(investigation_id=investigation.pk, actor="U1")
        return services.investigation_close(investigation_id=investigation.pk, actor="U1")

    race(resolve_or_close, times=6)
    investigation = Investigation.objects.select_related("incident").get(pk=investigation.pk)
    assert investigation.incident.resolved_at is not None
    if investigation.status == "closed":
        assert investigation.closed_at >= investigation.incident.resolved_at


def test_simultaneous_opens_with_one_title_get_distinct_names():
    results = race(lambda i: services.investigation_open(title="API down", opened_by=f"U{i}"))
    names = [r.name for r in successes(results)]
    assert len(names) == 8
    assert len(set(names)) == 8
