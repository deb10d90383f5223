"""`/case status`: in an investigation's channel only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from investigations.models import Investigation
from tests import factories
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
