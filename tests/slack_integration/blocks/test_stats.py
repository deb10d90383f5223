"""The /case stats dashboard: figures, "No data yet", times in the viewer's zone."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from reporting.metrics import (
    Activity,
    CurrentCounts,
    Durations,
    DurationStats,
    PersonStats,
    Report,
)
from reporting.periods import Period
from slack_integration.blocks.stats import range_label, stats_message

NOW = datetime(2024, 6, 12, 12, 0, tzinfo=UTC)
NONE = DurationStats(0, None, None)
NOTHING_NOW = CurrentCounts(0, 0, 0)


def report(*, current=NOTHING_NOW, activity=None, durations=None, all_time=None,
           team=()) -> Report:
    return Report(
        now=NOW,
        period=Period.last(days=7, now=NOW),
        current=current,
        activity=activity or Activity(0, 0, 0, 0, timedelta(0), timedelta(0)),
        durations=durations or Durations(NONE, NONE, NONE),
        durations_all_time=all_time or Durations(NONE, NONE, NONE),
        team=list(team),
    )


def everything(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False)


def test_empty_history_says_no_data_yet():
    content = stats_message(report(), label="Last 7 days")
    text = everything(content)
    assert "No data yet" in text
    assert content["blocks"][0] == {
        "type": "header", "text": {"type": "plain_text", "text": "📊 Operational Dashboard",
                                   "emoji": True},
    }
    assert f"<!date^{int(NOW.timestamp())}^" in text


def test_dashboard_shows_now_range_durations_and_team():
    content = stats_message(
        report(
            current=CurrentCounts(investigating=2, incidents_active=1,
                                  incidents_resolved_not_closed=3),
            activity=Activity(opened=4, incidents_declared=1, escalated_of_opened=1, closed=5,
                              investigation_time=timedelta(hours=26),
                              incident_time=timedelta(minutes=119.6)),
            durations=Durations(
                time_to_resolve=DurationStats(1, timedelta(hours=1, minutes=5),
                                              timedelta(hours=1, minutes=5)),
                time_to_escalate=NONE, time_to_close=NONE,
            ),
            all_time=Durations(
                time_to_resolve=DurationStats(9, timedelta(hours=2), timedelta(minutes=45)),
                time_to_escalate=DurationStats(9, timedelta(minutes=30), timedelta(seconds=30)),
                time_to_close=DurationStats(20, timedelta(days=2, hours=3), timedelta(days=1)),
            ),
            team=[PersonStats("U_ANN", opened=3, commanded=1, resolved=1, evidence=2,
                              commanded_resolved=1, mttr_mean=timedelta(minutes=45)),
                  PersonStats("U_BOB", opened=1)] + [PersonStats(f"U_{n}") for n in range(5)],
        ),
        label="Last 30 days",
    )
    text = everything(content)
    for expected in (
        "🔍 *Investigating:*\\n2", "🚨 *Incidents active:*\\n1",
        "🩹 *Resolved, awaiting close:*\\n3",
        "*Last 30 days*", "*Investigations opened:*\\n4", "*Incidents declared:*\\n1",
        "*Escalation rate:*\\n25% of the investigations opened (1 of 4)",
        "*Investigations closed:*\\n5", "*Investigation time:*\\n1d 2h", "*Incident time:*\\n2h",
        "Last 30 days: 1h 5m mean · 1h 5m median (1)",
        "All time: 2h mean · 45m median (9)",
        "All time: 30m mean · 30s median (9)",
        "All time: 2d 3h mean · 1d median (20)",
        "<@U_ANN>: opened 3 · commanded 1 · resolved 1 · evidence 2 · MTTR 45m",
        "<@U_BOB>: opened 1 · commanded 0 · resolved 0 · evidence 0",
    ):
        assert expected in text, expected
    assert text.count("Last 30 days: No data yet") == 2  # escalate and close
    assert "<@U_1>" not in text  # the top three only
    assert "1h 60m" not in text
    assert content["text"] == "📊 Operational Dashboard: 2 investigating, 1 active incident(s)"


def test_blocks_respect_slack_limits():
    content = stats_message(report(current=CurrentCounts(1, 0, 0)), label="Last 7 days")
    assert len(content["blocks"]) <= 50
    for block in content["blocks"]:
        assert len(block.get("fields", [])) <= 10


@pytest.mark.parametrize(
    ("days", "label"),
    [(1, "Last 1 day"), (7, "Last 7 days"), (30, "Last 30 days"), (84, "Last 12 weeks")],
)
def test_range_label(days, label):
    assert range_label(days) == label
