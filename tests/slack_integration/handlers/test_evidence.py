"""Collected evidence is posted as a bare permalink, so Slack unfurls it."""

import pytest

from investigations import services
from tests.slack_integration.cases import case_opened_in_slack, deliver_pending, posts_in

pytestmark = pytest.mark.django_db

PERMALINK = (
    "https://case-test.slack.com/archives/C0GENERAL1/p1700000000000100"
    "?thread_ts=1700000000.000050&cid=C0GENERAL1"
)


def test_the_permalink_is_posted_bare_with_who_added_it(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.evidence_add(
        investigation_id=case.pk, actor="U0CAROL001", source_channel_id="C0GENERAL1",
        message_ts="1700000000.000100", permalink=PERMALINK,
    )
    assert deliver_pending() == [("slack.post_evidence", "delivered")]
    [post] = posts_in(fake_slack, case.channel_id)
    assert post["text"] == f"📎 Evidence added by <@U0CAROL001>: {PERMALINK.replace('&', '&amp;')}"
    assert "blocks" not in post  # a block message would not unfurl the link
    assert post["unfurl_links"] is True
