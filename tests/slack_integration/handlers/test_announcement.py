"""The issues-channel announcement and the channel topic follow the case's
state; a burst of changes is drawn once."""

import pytest

from investigations import services
from investigations.outbox import outbox_deliver
from tests.slack_integration.cases import (
    ISSUES_CHANNEL,
    block_text,
    case_opened_in_slack,
    deliver_pending,
    pending,
)

pytestmark = pytest.mark.django_db


def announcement_after(fake_slack, case) -> str:
    """Deliver what is pending; return the announcement as it now reads."""
    deliver_pending()
    messages = fake_slack.messages_in(ISSUES_CHANNEL)
    [message] = [m for m in messages if m["ts"] == case.announcement_ts]
    return block_text(message)


def topic(fake_slack, case) -> str:
    return fake_slack.channels[case.channel_id]["topic"]["value"]


def test_the_announcement_follows_the_case_through_every_state(fake_slack):
    case = case_opened_in_slack(fake_slack, title="Checkout <EU> & cart down")
    link = f"<#{case.channel_id}>"

    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    text = announcement_after(fake_slack, case)
    assert "*Incident active*" in text
    assert "*Incident commander:* <@U0BOB00001>" in text
    assert "*Title:* Checkout &lt;EU&gt; &amp; cart down" in text
    assert f"Head to {link}" in text
    assert topic(fake_slack, case) == "🚨 Incident active · Checkout <EU> & cart down"

    services.incident_transfer(
        investigation_id=case.pk, actor="U0BOB00001", new_commander="U0CAROL001"
    )
    assert "*Incident commander:* <@U0CAROL001>" in announcement_after(fake_slack, case)

    services.incident_resolve(investigation_id=case.pk, actor="U0CAROL001")
    text = announcement_after(fake_slack, case)
    assert "*Incident resolved, awaiting close*" in text
    assert "*Resolved:*" in text
    assert f"*Channel:* {link}" in text
    assert topic(fake_slack, case).startswith("✅ Incident resolved · ")

    topics_before_close = len(fake_slack.calls_to("conversations.setTopic"))
    services.investigation_close(investigation_id=case.pk, actor="U0ALICE001")
    text = announcement_after(fake_slack, case)
    assert "*Closed*" in text
    assert "*Closed by:* <@U0ALICE001>" in text
    assert f"*Channel:* {link}" in text
    assert f"{link} is archived" in text
    assert len(fake_slack.calls_to("conversations.setTopic")) == topics_before_close
    # Always a fallback text for notifications and screen readers.
    assert all(c["text"] for c in fake_slack.calls_to("chat.update"))


def test_the_announcement_is_updated_in_place_not_reposted(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()
    [update] = fake_slack.calls_to("chat.update")
    assert (update["channel"], update["ts"]) == (ISSUES_CHANNEL, case.announcement_ts)
    top_level = [m for m in fake_slack.messages_in(ISSUES_CHANNEL) if "thread_ts" not in m]
    assert len(top_level) == 1


def test_a_burst_of_changes_is_drawn_once_in_its_final_state(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    services.incident_transfer(
        investigation_id=case.pk, actor="U0BOB00001", new_commander="U0CAROL001"
    )
    services.incident_resolve(investigation_id=case.pk, actor="U0CAROL001")
    refreshes = pending("slack.refresh_announcement")
    assert len(refreshes) == 3
    outcomes = [outbox_deliver(row.pk).status for row in refreshes]
    assert outcomes == ["delivered"] * 3
    [update] = fake_slack.calls_to("chat.update")
    assert "Incident resolved" in block_text(update)
    assert "<@U0CAROL001>" in block_text(update)
    assert len(fake_slack.calls_to("conversations.setTopic")) == 1


def test_an_unchanged_topic_is_not_set_again(fake_slack):
    # Every topic change shows as a line in the channel: set it only when it differs.
    case = case_opened_in_slack(fake_slack)
    fake_slack.channels[case.channel_id]["topic"] = {"value": "🚨 Incident active · " + case.title}
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()
    assert fake_slack.calls_to("conversations.setTopic") == []
    assert len(fake_slack.calls_to("chat.update")) == 1


def test_without_an_announcement_only_the_topic_is_kept_current(fake_slack):
    case = case_opened_in_slack(fake_slack)
    case.announcement_ts = ""
    case.save(update_fields=["announcement_ts"])
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    deliver_pending()
    assert fake_slack.calls_to("chat.update") == []
    assert topic(fake_slack, case).startswith("🚨")


def test_a_rate_limited_update_is_retried(fake_slack):
    case = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    [row] = pending("slack.refresh_announcement")
    fake_slack.fail("chat.update", "ratelimited", status=429, retry_after=2)
    assert outbox_deliver(row.pk).retry_in == 2.0
    assert outbox_deliver(row.pk).status == "delivered"
    assert "Incident active" in announcement_after(fake_slack, case)
