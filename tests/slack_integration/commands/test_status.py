"""`/case status`: in an investigation's channel only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from investigations import services
from investigations.models import Investigation
from investigations.selectors import FailedDelivery
from slack_integration.blocks.status import FAILURES_SHOWN, status_message
from tests import factories
from tests.slack_integration.cases import case_opened_in_slack, deliver_pending
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db


def status_in(slack, channel_id: str) -> str:
    slack.command("help", channel_id=channel_id)
    return text_of(reply_of(slack.command("status", channel_id=channel_id)))


def test_status_outside_an_investigation_channel_says_where_it_works(slack):
    text = status_in(slack, "C0GENERAL1")
    assert "`/case status` works only in an investigation's channel" in text


def test_status_shows_the_investigation_without_incident(slack):
    investigation = factories.investigation_opened(title="Latency <p99> & errors")
    text = status_in(slack, investigation.channel_id)
    assert investigation.name in text
    assert "Latency &lt;p99&gt; &amp; errors" in text
    assert "🔍 Investigating" in text
    assert "*Incident:*\nNone" in text
    assert "*Evidence:*\n0 messages" in text
    assert "PagerDuty" not in text


def test_status_shows_the_incident_its_commander_and_the_page(slack):
    investigation = factories.investigation_escalated(actor="U0BOB00001")
    text = status_in(slack, investigation.channel_id)
    assert "🚨 Incident active" in text
    assert "commander <@U0BOB00001>" in text
    assert "*PagerDuty:*\nNot configured" in text


def test_status_of_a_closed_investigation_stops_the_clock(slack):
    investigation = factories.investigation_closed()
    Investigation.objects.filter(pk=investigation.pk).update(
        opened_at=timezone.now() - timedelta(days=3),
        closed_at=timezone.now() - timedelta(days=1),
    )
    text = status_in(slack, investigation.channel_id)
    assert "📁 Closed" in text
    assert "*Open for:*\n2d (closed)" in text


def test_status_shows_a_page_pagerduty_refused_with_its_reason(slack, fake_pagerduty):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "Event object is invalid"})
    case = case_opened_in_slack(slack.fake)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()
    text = status_in(slack, case.channel_id)
    assert (
        "*PagerDuty:*\nFailed: PagerDuty answered 400: invalid event: Event object is invalid"
        in text
    )


def test_status_lists_deliveries_that_failed_for_good_with_the_reason(slack, settings):
    settings.INCIDENT_RESPONSE_GROUP_ID = "S0NOSUCH01"
    case = case_opened_in_slack(slack.fake)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    slack.fake.fail("chat.update", "message_not_found")
    deliver_pending()
    text = status_in(slack, case.channel_id)
    assert "⚠️ *Not delivered* (an admin can retry these from the outbox):" in text
    assert "• Inviting the response group: usergroups.users.list: no_such_subteam" in text
    assert "• Updating the announcement and topic: chat.update: message_not_found" in text


def test_a_failure_made_good_since_is_no_longer_listed(slack):
    case = case_opened_in_slack(slack.fake)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    slack.fake.fail("chat.update", "message_not_found")
    deliver_pending()
    assert "Not delivered" in status_in(slack, case.channel_id)
    services.incident_resolve(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()  # the next refresh redraws the announcement
    assert "Not delivered" not in status_in(slack, case.channel_id)


def test_the_not_delivered_list_is_bounded():
    failures = [FailedDelivery(kind=f"slack.kind_{n}", reason="<!channel>", failed_at=None)
                for n in range(FAILURES_SHOWN + 2)]
    investigation = factories.investigation_opened()
    content = status_message(investigation, pagerduty=None, now=timezone.now(), failures=failures)
    text = text_of(content)
    assert text.count("• slack.kind_") == FAILURES_SHOWN
    assert "• …and 2 more" in text
    assert "<!channel>" not in text


def test_status_reads_the_incident_once_before_its_ack(slack, django_assert_num_queries):
    """The delivery receipt, the investigation with its incident, evidence count and
    whether anything failed, the page's event in flight: the incident is not read again,
    the outbox's failures not at all while nothing failed."""
    investigation = factories.investigation_escalated(actor="U0BOB00001")
    slack.command("help", channel_id=investigation.channel_id)  # the person, looked up once
    with django_assert_num_queries(3):  # receipt, investigation, page in flight
        text = text_of(reply_of(slack.command("status", channel_id=investigation.channel_id)))
    assert "commander <@U0BOB00001>" in text
