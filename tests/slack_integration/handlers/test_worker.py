"""The Slack handlers in a real Celery worker, through a real Redis broker."""

import pytest

from investigations import services
from investigations.models import OutboxMessage
from tests.conftest import wait_until
from tests.slack_integration.cases import case_opened_in_slack, posts_in


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rate_limited_archive_is_archived_right_after_retry_after(
    fake_slack, celery_worker_process
):
    case = case_opened_in_slack(fake_slack)
    fake_slack.fail("conversations.archive", "ratelimited", status=429, retry_after=1)

    services.investigation_close(investigation_id=case.pk, actor="U0ALICE001")

    assert wait_until(lambda: fake_slack.channels[case.channel_id]["is_archived"], timeout=30)
    first, second = [c.at for c in fake_slack.calls if c.method == "conversations.archive"]
    # Retry-After honoured: not before the second, and right after it.
    assert 1.0 <= second - first < 3.0
    assert len(posts_in(fake_slack, case.channel_id)) == 1  # the summary, once
    summary_at = next(c.at for c in fake_slack.calls if c.method == "chat.postMessage")
    assert summary_at < first
    assert wait_until(
        lambda: not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    )
    archive = OutboxMessage.objects.get(kind="slack.archive_channel")
    assert (archive.status, archive.attempts) == (OutboxMessage.Status.DELIVERED, 2)
