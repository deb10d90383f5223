"""Closing in Slack: the summary first, then the archive, which survives a
rate limit and counts an already archived channel as done."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from investigations import services
from investigations.models import Investigation, OutboxMessage
from investigations.outbox import outbox_deliver
from investigations.tasks import deliver_outbox_message_task
from tests.slack_integration.cases import (
    block_text,
    case_opened_in_slack,
    deliver_pending,
    pending,
    posts_in,
)

pytestmark = pytest.mark.django_db


def close(case: Investigation, actor: str = "U0ALICE001") -> None:
    services.investigation_close(investigation_id=case.pk, actor=actor)


def test_the_summary_is_posted_before_the_channel_is_archived(
    fake_slack, django_capture_on_commit_callbacks
):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    services.incident_resolve(investigation_id=case.pk, actor="U0BOB00001")
    for ts in ("1700000000.000100", "1700000000.000200"):
        services.evidence_add(
            investigation_id=case.pk, actor="U0ALICE001", source_channel_id="C0GENERAL1",
            message_ts=ts, permalink=f"https://case-test.slack.com/archives/C0GENERAL1/p{ts}",
        )
    Investigation.objects.filter(pk=case.pk).update(opened_at=F("opened_at") - timedelta(hours=26))
    deliver_pending()
    fake_slack.calls.clear()

    with django_capture_on_commit_callbacks(execute=True):
        close(case)

    methods = [c.method for c in fake_slack.calls if c.method != "chat.update"]
    assert methods == ["chat.postMessage", "conversations.archive"]
    [summary] = posts_in(fake_slack, case.channel_id)
    text = block_text(summary)
    assert "closed* by <@U0ALICE001>" in text
    assert "*Open for:*\n1d 2h" in text
    assert "*Evidence collected:*\n2 items" in text
    assert "*Incident commander:*\n<@U0BOB00001>" in text
    assert fake_slack.channels[case.channel_id]["is_archived"] is True


def test_a_case_never_escalated_says_so_in_its_summary(fake_slack):
    case = case_opened_in_slack(fake_slack)
    close(case)
    deliver_pending()
    text = block_text(posts_in(fake_slack, case.channel_id)[0])
    assert "*Incident commander:*\nnone (never escalated)" in text
    assert "*Evidence collected:*\n0 items" in text


def test_a_rate_limited_archive_waits_exactly_retry_after_then_archives(fake_slack):
    case = case_opened_in_slack(fake_slack)
    close(case)
    [summary] = pending("slack.closing_summary")
    outbox_deliver(summary.pk)
    [archive] = pending("slack.archive_channel")
    fake_slack.fail("conversations.archive", "ratelimited", status=429, retry_after=7)

    outcome = outbox_deliver(archive.pk)
    assert (outcome.status, outcome.retry_in) == ("retry", 7.0)
    archive.refresh_from_db()
    assert archive.status == OutboxMessage.Status.PENDING
    assert "ratelimited" in archive.last_error
    assert 6.0 < (archive.next_attempt_at - timezone.now()).total_seconds() <= 7.0
    assert fake_slack.channels[case.channel_id]["is_archived"] is False

    assert outbox_deliver(archive.pk).status == "delivered"
    assert fake_slack.channels[case.channel_id]["is_archived"] is True


def test_an_already_archived_channel_counts_as_archived(fake_slack):
    case = case_opened_in_slack(fake_slack)
    close(case)
    [summary] = pending("slack.closing_summary")
    outbox_deliver(summary.pk)
    fake_slack.channels[case.channel_id]["is_archived"] = True  # archived by hand meanwhile
    [archive] = pending("slack.archive_channel")
    assert outbox_deliver(archive.pk).status == "delivered"
    assert fake_slack.calls_to("conversations.archive") == [{"channel": case.channel_id}]


def test_the_archive_task_run_twice_archives_once(fake_slack):
    case = case_opened_in_slack(fake_slack)
    close(case)
    deliver_pending()
    [archive] = OutboxMessage.objects.filter(kind="slack.archive_channel")
    assert deliver_outbox_message_task.apply(args=[archive.pk]).get() == "skipped"
    [summary] = OutboxMessage.objects.filter(kind="slack.closing_summary")
    assert deliver_outbox_message_task.apply(args=[summary.pk]).get() == "skipped"
    assert len(fake_slack.calls_to("conversations.archive")) == 1
    assert len(posts_in(fake_slack, case.channel_id)) == 1


def test_a_redelivered_archive_after_a_lost_acknowledgement_still_succeeds(fake_slack):
    # Slack archived the channel but the worker died before recording it:
    # the row is still pending, and the rerun finds the channel archived.
    case = case_opened_in_slack(fake_slack)
    close(case)
    deliver_pending()
    OutboxMessage.objects.filter(kind="slack.archive_channel").update(
        status=OutboxMessage.Status.PENDING
    )
    assert dict(deliver_pending())["slack.archive_channel"] == "delivered"


def test_a_channel_slack_no_longer_has_fails_the_archive_with_the_reason(fake_slack):
    case = case_opened_in_slack(fake_slack)
    close(case)
    [summary] = pending("slack.closing_summary")
    outbox_deliver(summary.pk)
    del fake_slack.channels[case.channel_id]
    [archive] = pending("slack.archive_channel")
    assert outbox_deliver(archive.pk).status == "failed"
    archive.refresh_from_db()
    assert archive.last_error == "conversations.archive: channel_not_found"
