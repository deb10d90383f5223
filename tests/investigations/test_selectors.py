"""Read queries: what `/case list` and `/case status` read before their ack, in how many queries."""

import uuid

import pytest
from django.utils import timezone

from investigations import services
from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.selectors import (
    FailedDelivery,
    incident_pagerduty_status,
    investigation_get_by_channel,
    investigation_list_open,
    outbox_failures_for,
)
from tests import factories

pytestmark = pytest.mark.django_db

ANNOUNCE = "slack.kind_announce"
INVITE = "slack.kind_invite"


def outbox_row(investigation, kind: str, status: str, error: str = "") -> OutboxMessage:
    return OutboxMessage.objects.create(
        kind=kind, investigation=investigation, idempotency_key=f"{kind}:{uuid.uuid4().hex}",
        status=status, last_error=error,
        failed_at=timezone.now() if status == OutboxMessage.Status.FAILED else None,
    )


def test_nothing_failed_costs_one_plain_query(django_assert_num_queries):
    investigation = factories.investigation_opened()
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.DELIVERED)
    with django_assert_num_queries(1):
        assert outbox_failures_for(investigation=investigation) == []


def test_a_failure_is_listed_until_a_later_delivery_of_its_kind_makes_it_good():
    investigation = factories.investigation_opened()
    other = factories.investigation_opened()
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.DELIVERED)  # before: proves nothing
    failed = outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.FAILED, "message_not_found")
    outbox_row(investigation, INVITE, OutboxMessage.Status.DELIVERED)  # another kind
    outbox_row(other, ANNOUNCE, OutboxMessage.Status.DELIVERED)  # another investigation
    outbox_row(investigation, Effect.PAGERDUTY_TRIGGER, OutboxMessage.Status.FAILED, "400")
    assert outbox_failures_for(investigation=investigation) == [
        FailedDelivery(kind=ANNOUNCE, reason="message_not_found", failed_at=failed.failed_at)
    ]
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.PENDING)  # not yet delivered
    assert len(outbox_failures_for(investigation=investigation)) == 1
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.DELIVERED)
    assert outbox_failures_for(investigation=investigation) == []


def test_failures_come_oldest_first_and_each_is_judged_by_its_own_kind():
    investigation = factories.investigation_opened()
    first = outbox_row(investigation, INVITE, OutboxMessage.Status.FAILED, "no_such_subteam")
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.FAILED, "gone")
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.DELIVERED)
    assert outbox_failures_for(investigation=investigation) == [
        FailedDelivery(kind=INVITE, reason="no_such_subteam", failed_at=first.failed_at)
    ]


def test_the_investigation_in_its_channel_says_whether_any_delivery_failed(
    django_assert_num_queries,
):
    investigation = factories.investigation_opened()
    outbox_row(investigation, ANNOUNCE, OutboxMessage.Status.DELIVERED)
    outbox_row(investigation, Effect.PAGERDUTY_TRIGGER, OutboxMessage.Status.FAILED, "400")
    found = investigation_get_by_channel(channel_id=investigation.channel_id)
    assert found.any_failed_delivery is False  # PagerDuty's own failure is the page's status
    with django_assert_num_queries(0):
        assert outbox_failures_for(investigation=found, any_failed=False) == []
    outbox_row(investigation, INVITE, OutboxMessage.Status.FAILED, "no_such_subteam")
    found = investigation_get_by_channel(channel_id=investigation.channel_id)
    assert found.any_failed_delivery is True
    assert [f.kind for f in outbox_failures_for(investigation=found, any_failed=True)] == [INVITE]


def test_status_reads_the_incident_loaded_with_the_investigation(django_assert_num_queries):
    escalated = factories.investigation_escalated()
    found = investigation_get_by_channel(channel_id=escalated.channel_id)
    with django_assert_num_queries(1):  # only the page's pending event, not the incident again
        status = incident_pagerduty_status(investigation=found, incident=found.incident)
    assert status == incident_pagerduty_status(investigation=found)
    with django_assert_num_queries(0):
        assert incident_pagerduty_status(investigation=found, incident=None) is None


def test_the_open_list_built_once_still_sees_every_change():
    first = factories.investigation_opened()
    assert [i.pk for i in investigation_list_open()] == [first.pk]
    second = factories.investigation_opened()
    services.investigation_close(investigation_id=first.pk, actor="U0ALICE001")
    listed = list(investigation_list_open())
    assert [i.pk for i in listed] == [second.pk]
    assert listed[0].evidence_count == 0
    assert investigation_list_open().count() == 1
    assert investigation_list_open() is not investigation_list_open()
