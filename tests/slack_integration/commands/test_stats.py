"""`/case stats` through signed requests: the dashboard reaches only the asker."""

from datetime import UTC, datetime, timedelta

import pytest

from slack_integration.commands.registry import subcommand_get
from tests.reporting.history import case
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db

ALICE = "U0ALICE001"


def ask(slack, text: str) -> list[dict]:
    """Everything the person is shown, in order: the ack's body (when it
    has one), then what followed on the response_url."""
    before = len(slack.fake.responses)
    ack = reply_of(slack.command(text, user_id=ALICE))
    return [body for body in (ack, *slack.fake.responses[before:]) if body]


def test_stats_on_an_empty_history_says_no_data_yet(slack):
    [reply] = ask(slack, "stats")
    assert reply["response_type"] == "ephemeral"
    assert "No data yet" in text_of(reply)
    assert "<title>" not in text_of(reply)


def test_stats_shows_the_last_seven_days_and_all_time(slack):
    now = datetime.now(tz=UTC)
    hours = timedelta(hours=1)
    case(opened=3 * hours, by=ALICE, now=now)
    case(opened=5 * hours, escalated=4 * hours, resolved=2 * hours, commander="U0BOB00001",
         now=now)
    case(opened=timedelta(days=20), closed=timedelta(days=19), now=now)
    [reply] = ask(slack, "stats")
    text = text_of(reply)
    assert reply["response_type"] == "ephemeral"
    assert "🔍 *Investigating:*\n1" in text
    assert "🩹 *Resolved, awaiting close:*\n1" in text
    assert "*Last 7 days*" in text
    assert "*Investigations opened:*\n2" in text
    assert "*Escalation rate:*\n50% of the investigations opened (1 of 2)" in text
    assert "Last 7 days: 2h mean · 2h median (1)" in text  # MTTR
    assert "All time: 1d mean · 1d median (1)" in text  # time to close
    assert "<@U0BOB00001>: opened 0 · commanded 1 · resolved 1 · evidence 0 · MTTR 2h" in text
    assert "<!date^" in text


def test_stats_for_another_range(slack):
    now = datetime.now(tz=UTC)
    case(opened=timedelta(days=20), now=now)
    [reply] = ask(slack, "stats 30d")
    text = text_of(reply)
    assert "*Last 30 days*" in text
    assert "*Investigations opened:*\n1" in text


def test_stats_refuses_a_range_it_cannot_read_in_the_ack(slack):
    [refusal] = ask(slack, "stats forever")
    assert "“forever” is not a range I understand" in text_of(refusal)


def test_stats_and_export_run_after_the_ack():
    for name in ("stats", "export"):
        spec = subcommand_get(name)
        assert spec is not None
        assert spec.after_ack is True
