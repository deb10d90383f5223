"""`/case close`: refused while the incident is active; a summary, then the archive."""

import pytest

from investigations.models import Investigation
from tests.slack_integration.cases import (
    block_text,
    case_opened_in_slack,
    deliver_pending,
    posts_in,
    say,
)

pytestmark = pytest.mark.django_db


def test_close_posts_the_summary_then_archives(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    told = say(slack, "close", channel=case.channel_id)
    assert "a summary is being posted here, then the channel is archived" in told
    case.refresh_from_db()
    assert (case.status, case.closed_by) == (Investigation.Status.CLOSED, "U0ALICE001")

    fake_slack.calls.clear()
    deliver_pending()
    wanted = {"chat.postMessage", "conversations.archive"}
    order = [c.method for c in fake_slack.calls if c.method in wanted]
    assert order == ["chat.postMessage", "conversations.archive"]
    assert "closed* by <@U0ALICE001>" in block_text(posts_in(fake_slack, case.channel_id)[0])
    assert fake_slack.channels[case.channel_id]["is_archived"] is True


def test_close_is_refused_while_the_incident_is_active(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    told = say(slack, "close", channel=case.channel_id)
    assert "active incident; resolve it with `/case resolve` before closing" in told
    case.refresh_from_db()
    assert case.status == Investigation.Status.ESCALATED


def test_close_after_the_incident_is_resolved(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    say(slack, "resolve", channel=case.channel_id)
    assert "Closing" in say(slack, "close", channel=case.channel_id)
    deliver_pending()
    summary = block_text(posts_in(fake_slack, case.channel_id)[-1])
    assert "*Incident commander:*\n<@U0ALICE001>" in summary
    assert "*Incident duration:*" in summary


def test_close_twice_says_it_is_already_closed(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "close", channel=case.channel_id)
    assert "already closed" in say(slack, "close", channel=case.channel_id)
    assert "is closed" in say(slack, "incident", channel=case.channel_id)
    assert "This investigation is closed." in say(slack, "resolve", channel=case.channel_id)


@pytest.mark.parametrize(
    ("status", "message"),
    [(Investigation.Status.PENDING, "still being created"),
     (Investigation.Status.FAILED, "could not be opened")],
)
@pytest.mark.parametrize("command", ["incident", "resolve", "transfer <@U0BOB00001>", "close"])
def test_commands_in_a_channel_not_ready_or_failed_say_so(slack, fake_slack, status, message,
                                                          command):
    case = case_opened_in_slack(fake_slack)
    Investigation.objects.filter(pk=case.pk).update(status=status)
    assert message in say(slack, command, channel=case.channel_id)
    case.refresh_from_db()
    assert case.status == status
