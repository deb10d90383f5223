"""The trigger and resolve events: their shape, and the official schema's verdict."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from investigations.pagerduty import payloads
from tests import services
from tests.fakes.pagerduty import ROUTING_KEY, SPEC_PATH, enqueue_validator, event_problems

PUBLIC_ID = UUID("0b8d3c52-8f5e-4a53-9d59-2f1b8a9d6c01")
ESCALATED_AT = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)


@pytest.fixture(scope="module")
def validator():
    if not SPEC_PATH.exists():
        reason = f"../shared/ not found: {SPEC_PATH.resolve()}"
        if services.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    return enqueue_validator()


def trigger(**overrides) -> dict:
    values = {
        "routing_key": ROUTING_KEY,
        "public_id": PUBLIC_ID,
        "title": "API returns 502 for /checkout",
        "name": "inv-api-returns-502",
        "commander": "U0ALICE001",
        "escalated_at": ESCALATED_AT,
        "severity": "critical",
        "channel_id": "C0000000042",
        "channel_url": "https://case-test.slack.com/archives/C0000000042",
    } | overrides
    return payloads.trigger_event(**values)


def test_trigger_carries_summary_source_severity_timestamp_and_details():
    event = trigger()
    assert event["event_action"] == "trigger"
    assert event["routing_key"] == ROUTING_KEY
    assert event["payload"] == {
        "summary": "API returns 502 for /checkout",
        "source": "Slack #inv-api-returns-502",
        "severity": "critical",
        "timestamp": "2026-03-04T05:06:07.890000+00:00",
        "component": "inv-api-returns-502",
        "class": "incident",
        "custom_details": {
            "name": "inv-api-returns-502",
            "commander": "U0ALICE001",
            "channel": "#inv-api-returns-502",
            "channel_id": "C0000000042",
            "channel_url": "https://case-test.slack.com/archives/C0000000042",
        },
    }


def test_trigger_links_the_channel_in_a_browser():
    event = trigger()
    url = "https://case-test.slack.com/archives/C0000000042"
    assert event["links"] == [{"href": url, "text": "Slack channel #inv-api-returns-502"}]
    assert event["client"] == "Case"
    assert event["client_url"] == url


def test_trigger_without_a_channel_url_has_no_link():
    event = trigger(channel_url="", channel_id="")
    assert "links" not in event
    assert "client_url" not in event
    assert "channel_url" not in event["payload"]["custom_details"]


def test_trigger_and_resolve_share_a_dedup_key_from_the_public_id():
    resolve = payloads.resolve_event(routing_key=ROUTING_KEY, public_id=PUBLIC_ID)
    assert trigger()["dedup_key"] == resolve["dedup_key"] == f"case/{PUBLIC_ID}"
    assert resolve == {
        "routing_key": ROUTING_KEY, "event_action": "resolve", "dedup_key": f"case/{PUBLIC_ID}",
    }


def test_severity_is_passed_through():
    assert trigger(severity="warning")["payload"]["severity"] == "warning"


def test_summary_is_the_title_on_one_line():
    assert payloads.summary_for("  Disk   full\non\tdb-1  ") == "Disk full on db-1"


def test_long_summary_is_cut_on_a_word_within_the_limit():
    title = " ".join(["checkout"] * 200)  # 1799 characters
    summary = payloads.summary_for(title)
    assert len(summary) <= payloads.SUMMARY_LIMIT
    assert summary.endswith("checkout…")
    assert summary[:-1] == " ".join(["checkout"] * (len(summary) // 9))


def test_summary_of_one_huge_word_is_cut_hard():
    summary = payloads.summary_for("x" * 5000)
    assert summary == "x" * (payloads.SUMMARY_LIMIT - 1) + "…"


def test_summary_at_the_limit_is_left_alone():
    title = "y" * payloads.SUMMARY_LIMIT
    assert payloads.summary_for(title) == title


def test_cut_summary_drops_trailing_punctuation():
    assert payloads.summary_for("alpha beta, gamma", limit=12) == "alpha beta…"


def test_built_events_are_valid_against_the_official_schema(validator):
    long_title = "Payments: " + "latency spike " * 150
    events = [
        trigger(),
        trigger(channel_url="", channel_id=""),
        trigger(title=long_title, severity="info"),
        payloads.resolve_event(routing_key=ROUTING_KEY, public_id=PUBLIC_ID),
    ]
    assert [event_problems(validator, event) for event in events] == [[], [], [], []]


def test_the_validator_refuses_what_pagerduty_would(validator):
    bad_trigger = trigger()
    bad_trigger["payload"]["severity"] = "high"
    del bad_trigger["payload"]["source"]
    bad_trigger["links"] = [{"href": "not a url"}]
    assert event_problems(validator, bad_trigger) == [
        "links/0/href: 'not a url' is not a 'url'",
        "payload: 'source' is a required property",
        "payload/severity: 'high' is not one of ['critical', 'warning', 'error', 'info']",
    ]
    assert event_problems(validator, {"routing_key": "short", "event_action": "resolve"}) == [
        "routing_key: must be 32 characters",
        "dedup_key: required for resolve",
    ]
    assert event_problems(validator, {"routing_key": ROUTING_KEY, "event_action": "trigger"}) == [
        "payload: required for a trigger"
    ]
    naive_time = trigger()
    naive_time["payload"]["timestamp"] = "2026-03-04 05:06:07"
    assert event_problems(validator, naive_time) == [
        "payload/timestamp: '2026-03-04 05:06:07' is not a 'date-time'"
    ]
