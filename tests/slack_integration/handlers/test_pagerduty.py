"""A page that failed for good is posted in the case channel: page by hand."""

import pytest

from investigations import services
from investigations.effects import Effect
from slack_integration.blocks.pagerduty import pagerduty_failed_notice
from tests.slack_integration.cases import (
    block_text,
    case_opened_in_slack,
    deliver_pending,
    posts_in,
)

pytestmark = pytest.mark.django_db


def test_a_refused_page_is_posted_in_the_case_channel(fake_slack, fake_pagerduty):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "Event object is invalid"})
    investigation = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=investigation.pk, actor="U0ALICE001")

    outcomes = deliver_pending()

    assert (Effect.PAGERDUTY_TRIGGER, "failed") in outcomes
    assert (Effect.SLACK_PAGERDUTY_FAILED_NOTICE, "delivered") in outcomes
    # After the escalation notice, as recorded: the channel reads in order.
    *_, post = posts_in(fake_slack, investigation.channel_id)
    text = block_text(post)
    assert "PagerDuty could not be paged" in text
    assert "Page the on-call responder by hand" in text
    assert "Reason: PagerDuty answered 400: invalid event: Event object is invalid" in text
    assert "Incident commander: <@U0ALICE001>" in text


def test_a_failed_resolve_says_to_resolve_by_hand():
    content = pagerduty_failed_notice(action="resolve", reason="gave up after 64 tries")
    assert content["text"] == (
        "⚠️ PagerDuty could not be told the incident is resolved. "
        "Resolve the alert in PagerDuty by hand."
    )


def test_the_reason_cannot_ping_the_channel():
    content = pagerduty_failed_notice(action="trigger", reason="<!channel> bad key")
    assert "&lt;!channel&gt; bad key" in content["blocks"][1]["elements"][0]["text"]
