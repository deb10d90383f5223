"""The open-channel handler against a misbehaving Slack: retries, collisions, giving up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from investigations.effects import Effect
from investigations.models import AuditEvent, Investigation, OutboxMessage
from investigations.outbox import outbox_deliver, outbox_sweep
from slack_integration.fakes.slack_api import BOT_USER_ID
from slack_integration.handlers.open_channel import MAX_ATTEMPTS
from tests.slack_integration.conftest import ALICE, ISSUES, reply_of

pytestmark = pytest.mark.django_db


def request_open(slack, capture, title: str = "API down") -> Investigation:
    """`/case open`, with the first delivery of its channel effect run."""
    slack.command("help")
    with capture(execute=True):
        reply_of(slack.command(f"open {title}"))
    return Investigation.objects.get()


def channel_effect() -> OutboxMessage:
    return OutboxMessage.objects.get(kind=Effect.SLACK_OPEN_CHANNEL)


def deliver_again() -> str:
    return outbox_deliver(channel_effect().pk).status


def case_channels(fake) -> list[dict]:
    return [c for c in fake.channels.values() if c["name"].startswith("case-")]


def not_issues(params: dict) -> bool:
    return params.get("channel") != ISSUES


def test_a_slack_outage_is_retried_without_a_second_channel(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("conversations.create", "internal_error", status=500)
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    assert investigation.status == Investigation.Status.PENDING
    assert channel_effect().status == OutboxMessage.Status.PENDING
    assert deliver_again() == "delivered"
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert len(case_channels(slack.fake)) == 1


def test_a_rate_limit_is_retried_after_slacks_retry_after(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("conversations.create", "ratelimited", status=429, retry_after=7)
    before = timezone.now()
    request_open(slack, django_capture_on_commit_callbacks)
    effect = channel_effect()
    assert effect.attempts == 1
    assert "ratelimited" in effect.last_error
    assert timedelta(seconds=6) < effect.next_attempt_at - before < timedelta(seconds=9)
    assert deliver_again() == "delivered"


def test_a_failure_after_the_channel_and_announcement_resumes_where_it_stopped(
    slack, django_capture_on_commit_callbacks
):
    # The welcome post (in the new channel) fails; the announcement went out.
    slack.fake.fail("chat.postMessage", "internal_error", status=503, only_if=not_issues)
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.PENDING
    assert investigation.channel_id is None  # that attempt's writes were rolled back
    assert deliver_again() == "delivered"
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert len(case_channels(slack.fake)) == 1
    announcements = slack.fake.messages_in(ISSUES)
    assert len(announcements) == 1
    assert announcements[0]["ts"] == investigation.announcement_ts
    assert len(slack.fake.calls_to("conversations.setTopic")) == 1
    assert len(slack.fake.messages_in(investigation.channel_id)) == 1


def test_a_taken_name_is_replaced_and_the_channel_bears_the_new_one(
    slack, django_capture_on_commit_callbacks
):
    slack.command("help")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply_of(slack.command("open API down"))
    reserved = Investigation.objects.get().name
    slack.fake.add_channel(reserved, is_archived=True)  # an old case's archived channel
    for callback in callbacks:
        callback()
    investigation = Investigation.objects.get()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert investigation.name != reserved
    assert investigation.name.startswith("case-api-down-")
    assert slack.fake.channels[investigation.channel_id]["name"] == investigation.name
    assert investigation.audit_events.filter(action=AuditEvent.Action.RENAMED).exists()


def test_a_rename_survives_a_later_failure_of_the_same_attempt(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("conversations.create", "name_taken")
    slack.fake.fail("chat.postMessage", "internal_error", status=500, only_if=not_issues)
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    assert deliver_again() == "delivered"
    investigation.refresh_from_db()
    [channel] = case_channels(slack.fake)
    assert channel["name"] == investigation.name
    assert channel["id"] == investigation.channel_id


def test_when_slack_keeps_failing_the_open_fails_for_good_and_the_opener_is_told(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("conversations.create", "internal_error", status=500, times=MAX_ATTEMPTS)
    investigation = request_open(slack, django_capture_on_commit_callbacks, "Checkout down")
    outcomes = [deliver_again() for _ in range(MAX_ATTEMPTS - 1)]
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 2) + ["failed"]
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.FAILED
    assert "internal_error" in investigation.failure_reason
    told = slack.fake.responses[-1]["text"]
    assert "could not open the investigation “Checkout down”" in told
    assert "Slack did not answer properly" in told
    assert case_channels(slack.fake) == []
    # Nothing retries it later.
    assert outbox_sweep(grace_seconds=0) == 0
    assert deliver_again() == "skipped"


def test_a_half_made_channel_is_archived_and_the_announcement_removed_on_giving_up(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("chat.postMessage", "internal_error", status=500, times=MAX_ATTEMPTS,
                    only_if=not_issues)
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    for _ in range(MAX_ATTEMPTS - 1):
        deliver_again()
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.FAILED
    [channel] = case_channels(slack.fake)
    assert channel["is_archived"]
    assert slack.fake.messages_in(ISSUES) == []
    assert not Investigation.objects.filter(
        status__in=[Investigation.Status.INVESTIGATING, Investigation.Status.ESCALATED]
    ).exists()


def test_a_refusal_fails_at_once_with_the_reason_in_plain_words(
    slack, django_capture_on_commit_callbacks
):
    slack.fake.fail("conversations.create", "restricted_action")
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.FAILED
    assert channel_effect().status == OutboxMessage.Status.FAILED
    assert "does not let apps create channels" in slack.fake.responses[-1]["text"]


def test_an_expired_response_url_means_the_confirmation_comes_by_dm(
    slack, django_capture_on_commit_callbacks
):
    slack.command("help")
    slack.fake.response_urls_expired = True
    with django_capture_on_commit_callbacks(execute=True):
        slack.command("open DNS flapping")
    investigation = Investigation.objects.get()
    dm = next(c for c in slack.fake.channels.values() if c["is_im"] and ALICE in c["members"])
    [confirmation] = slack.fake.messages_in(dm["id"])
    assert f"<#{investigation.channel_id}>" in confirmation["text"]


def test_the_bot_joins_the_issues_channel_only_when_it_is_not_in_it(
    slack, django_capture_on_commit_callbacks
):
    request_open(slack, django_capture_on_commit_callbacks, "First")
    assert slack.fake.calls_to("conversations.join") == []
    slack.fake.channels[ISSUES]["members"].discard(BOT_USER_ID)
    with django_capture_on_commit_callbacks(execute=True):
        slack.command("open Second")
    assert slack.fake.calls_to("conversations.join") == [{"channel": ISSUES}]
    assert len(slack.fake.messages_in(ISSUES)) == 2


def test_a_broken_issues_channel_does_not_stop_the_open_and_is_recorded(
    slack, django_capture_on_commit_callbacks, settings
):
    from slack_integration.installation import InstallationProblem

    settings.ISSUES_CHANNEL_ID = "C0NOWHERE1"
    investigation = request_open(slack, django_capture_on_commit_callbacks)
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert InstallationProblem.objects.filter(code="channel_not_found").exists()
