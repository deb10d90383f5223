"""Incident notices: escalation in the channel and the issues thread,
resolution with its duration, commander transfer with its invite."""

from datetime import timedelta

import pytest
from django.db.models import F

from investigations import services
from investigations.models import Incident, OutboxMessage
from investigations.outbox import outbox_deliver
from investigations.tasks import deliver_outbox_message_task
from tests.slack_integration.cases import (
    ISSUES_CHANNEL,
    block_text,
    case_opened_in_slack,
    deliver_pending,
    pending,
    posts_in,
)

pytestmark = pytest.mark.django_db


def test_escalation_posts_a_notice_then_threads_it_under_the_announcement(
    fake_slack, django_capture_on_commit_callbacks
):
    case = case_opened_in_slack(fake_slack, members=("U0BOB00001",))
    with django_capture_on_commit_callbacks(execute=True):
        services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")

    [notice] = posts_in(fake_slack, case.channel_id)
    text = block_text(notice)
    assert "Escalated to an active incident" in text
    assert "*Incident commander:* <@U0BOB00001>" in text
    assert "<!date^" in text  # the time, in each reader's time zone
    assert "<!subteam^S0RESPOND1>" in text
    [thread] = posts_in(fake_slack, ISSUES_CHANNEL)
    assert thread["thread_ts"] == case.announcement_ts
    assert thread["reply_broadcast"] is True
    assert f"<#{case.channel_id}>" in block_text(thread)
    assert "<@U0BOB00001>" in block_text(thread)
    assert not pending()


def test_escalation_thread_goes_top_level_when_the_announcement_is_missing(fake_slack):
    case = case_opened_in_slack(fake_slack)
    case.announcement_ts = ""
    case.save(update_fields=["announcement_ts"])
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    deliver_pending()
    [top_level] = posts_in(fake_slack, ISSUES_CHANNEL)
    assert "thread_ts" not in top_level


def test_escalation_without_an_issues_channel_posts_only_in_the_case(fake_slack, settings):
    settings.ISSUES_CHANNEL_ID = ""
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    deliver_pending()
    assert len(posts_in(fake_slack, case.channel_id)) == 1
    assert posts_in(fake_slack, ISSUES_CHANNEL) == []


def test_a_failing_thread_post_is_retried_without_repeating_the_channel_notice(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    [notice_row] = pending("slack.escalation_notice")
    assert outbox_deliver(notice_row.pk).status == "delivered"
    [thread_row] = pending("slack.escalation_thread")

    fake_slack.fail("chat.postMessage", "internal_error", status=500)
    assert outbox_deliver(thread_row.pk).status == "retry"
    assert outbox_deliver(thread_row.pk).status == "delivered"

    assert len(posts_in(fake_slack, case.channel_id)) == 1
    assert len([p for p in posts_in(fake_slack, ISSUES_CHANNEL) if "blocks" in p]) == 2
    assert len(fake_slack.messages_in(ISSUES_CHANNEL)) == 2  # announcement + one reply


def test_the_escalation_task_run_twice_posts_once(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    [row] = pending("slack.escalation_notice")
    assert deliver_outbox_message_task.apply(args=[row.pk]).get() == "delivered"
    assert deliver_outbox_message_task.apply(args=[row.pk]).get() == "skipped"
    assert len(posts_in(fake_slack, case.channel_id)) == 1


def test_resolution_notice_shows_the_incident_duration(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    Incident.objects.filter(investigation=case).update(
        escalated_at=F("escalated_at") - timedelta(minutes=95)
    )
    deliver_pending()
    fake_slack.calls.clear()
    services.incident_resolve(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()
    [notice] = posts_in(fake_slack, case.channel_id)
    text = block_text(notice)
    assert "*Incident duration:* 1h 35m" in text
    assert "*Resolved by:* <@U0BOB00001>" in text
    assert "*Incident commander:* <@U0ALICE001>" in text
    assert "/case close" in text


def test_transfer_invites_the_new_commander_and_names_from_to_and_by(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    deliver_pending()
    fake_slack.calls.clear()
    services.incident_transfer(
        investigation_id=case.pk, actor="U0ALICE001", new_commander="W0DAVE0001"
    )
    assert dict(deliver_pending())["slack.transfer_notice"] == "delivered"

    [invite] = fake_slack.calls_to("conversations.invite")
    assert invite["users"] == "W0DAVE0001"
    assert "W0DAVE0001" in fake_slack.channels[case.channel_id]["members"]
    [notice] = posts_in(fake_slack, case.channel_id)
    text = block_text(notice)
    assert "*From:* <@U0ALICE001>\n*To:* <@W0DAVE0001>\n*By:* <@U0ALICE001>" in text


def test_transfer_to_a_member_asks_for_no_invite(fake_slack):
    case = case_opened_in_slack(fake_slack, members=("U0CAROL001",))
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    deliver_pending()
    fake_slack.calls.clear()
    services.incident_transfer(
        investigation_id=case.pk, actor="U0ALICE001", new_commander="U0CAROL001"
    )
    deliver_pending()
    assert fake_slack.calls_to("conversations.invite") == []
    assert len(posts_in(fake_slack, case.channel_id)) == 1


def test_a_notice_for_a_channel_slack_lost_fails_with_the_reason(fake_slack):
    case = case_opened_in_slack(fake_slack)
    del fake_slack.channels[case.channel_id]
    services.investigation_escalate(investigation_id=case.pk, actor="U0ALICE001")
    deliver_pending()
    row = OutboxMessage.objects.get(kind="slack.escalation_notice")
    assert row.status == OutboxMessage.Status.FAILED
    assert row.last_error == "chat.postMessage: channel_not_found"
