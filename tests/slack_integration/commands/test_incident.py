"""`/case incident` and `/case resolve` through signed requests, every state."""

import pytest

from investigations.models import Incident, OutboxMessage
from tests.slack_integration.cases import (
    ISSUES_CHANNEL,
    block_text,
    case_opened_in_slack,
    deliver_pending,
    posts_in,
    say,
)

pytestmark = pytest.mark.django_db

BOB = "U0BOB00001"


def test_incident_makes_the_invoker_commander_and_notifies(slack, fake_slack):
    case = case_opened_in_slack(fake_slack, members=(BOB,))
    told = say(slack, "incident", user=BOB, channel=case.channel_id)
    assert "you are its commander" in told
    incident = Incident.objects.get(investigation=case)
    assert (incident.commander, incident.escalated_by) == (BOB, BOB)

    deliver_pending()
    [notice] = posts_in(fake_slack, case.channel_id)
    assert f"*Incident commander:* <@{BOB}>" in block_text(notice)
    [thread] = posts_in(fake_slack, ISSUES_CHANNEL)
    assert thread["thread_ts"] == case.announcement_ts


def test_incident_twice_is_refused_with_the_reason(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    told = say(slack, "incident", user=BOB, channel=case.channel_id)
    assert "already an active incident" in told
    assert Incident.objects.get(investigation=case).commander == "U0ALICE001"
    assert OutboxMessage.objects.filter(kind="slack.escalation_notice").count() == 1


@pytest.mark.parametrize("name", ["incident", "resolve", "transfer <@U0BOB00001>", "close"])
def test_case_commands_outside_a_case_channel_say_where_they_work(slack, name):
    told = say(slack, name, channel="C0GENERAL1")
    assert f"`/case {name.split()[0]}` works only in an investigation's channel" in told


def test_resolve_without_an_incident_says_to_escalate_first(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    told = say(slack, "resolve", channel=case.channel_id)
    assert "no incident to resolve" in told
    assert "/case incident" in told


def test_resolve_ends_the_incident_and_reports_its_duration(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    told = say(slack, "resolve", user=BOB, channel=case.channel_id)
    assert "Incident resolved after" in told
    incident = Incident.objects.get(investigation=case)
    assert incident.resolved_by == BOB
    assert "already resolved" in say(slack, "resolve", channel=case.channel_id)
    deliver_pending()
    notices = [block_text(p) for p in posts_in(fake_slack, case.channel_id)]
    assert any("*Incident duration:*" in notice for notice in notices)


def test_incident_after_resolution_is_refused(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    say(slack, "resolve", channel=case.channel_id)
    assert "escalates only once" in say(slack, "incident", channel=case.channel_id)
