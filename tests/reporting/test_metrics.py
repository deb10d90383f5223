"""Metrics match hand-computed answers, in a constant number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.metrics import (
    ESCALATION_RATE_LABEL,
    CurrentCounts,
    DurationStats,
    all_time_note,
    all_time_snapshot_refresh,
    metrics_report,
    team_performance,
    weekly_series,
)
from reporting.periods import Period
from reporting.tasks import refresh_all_time_snapshot_task
from tests.reporting.history import NOW, case, hours, many

pytestmark = pytest.mark.django_db

LAST_7_DAYS = Period.last(days=7, now=NOW)


def report(period: Period = LAST_7_DAYS):
    return metrics_report(period=period, now=NOW)


def test_empty_history_has_zeros_and_no_durations():
    result = report()
    assert result.current == CurrentCounts(0, 0, 0)
    assert result.activity.opened == 0
    assert result.activity.escalation_rate is None
    assert result.activity.investigation_time == timedelta(0)
    none = DurationStats(count=0, mean=None, median=None)
    for durations in (result.durations, result.durations_all_time):
        assert durations.time_to_resolve == none
        assert durations.time_to_escalate == none
        assert durations.time_to_close == none
    assert result.team == []
    assert result.has_data is False


def test_one_closed_incident():
    case(opened=hours(2), escalated=hours(1.5), resolved=hours(0.5), closed=timedelta(minutes=10),
         by="U_A", commander="U_B", evidence=(("U_C", hours(1)),))
    result = report()
    assert result.current == CurrentCounts(0, 0, 0)
    activity = result.activity
    assert (activity.opened, activity.incidents_declared, activity.closed) == (1, 1, 1)
    assert activity.escalation_rate == 1.0
    assert activity.investigation_time == timedelta(hours=1, minutes=50)
    assert activity.incident_time == hours(1)
    assert result.durations.time_to_resolve == DurationStats(1, hours(1), hours(1))
    assert result.durations.time_to_escalate == DurationStats(1, hours(0.5), hours(0.5))
    closed_after = timedelta(hours=1, minutes=50)
    assert result.durations.time_to_close == DurationStats(1, closed_after, closed_after)
    assert result.durations_all_time == result.durations
    assert result.has_data is True


def test_open_work_is_counted_now_and_pending_or_failed_never():
    case(opened=hours(5))  # investigating
    case(opened=hours(4), escalated=hours(3))  # incident active
    case(opened=hours(4), escalated=hours(3), resolved=hours(1))  # resolved, not closed
    case(opened=hours(1), status="pending")
    case(opened=hours(1), status="failed")
    result = report()
    assert result.current == CurrentCounts(
        investigating=1, incidents_active=1, incidents_resolved_not_closed=1
    )
    assert result.activity.opened == 3
    assert result.activity.escalated_of_opened == 2
    assert result.activity.escalation_rate == pytest.approx(2 / 3)
    assert result.activity.closed == 0
    # Open cases run until now: 5 + 4 + 4 hours; incidents 3 (open) + 2 (resolved).
    assert result.activity.investigation_time == hours(13)
    assert result.activity.incident_time == hours(5)
    assert result.durations.time_to_resolve == DurationStats(1, hours(2), hours(2))
    assert result.durations.time_to_close.count == 0


def test_mean_and_median_with_odd_and_even_counts():
    for mttr in (1, 2, 9):
        case(opened=hours(20), escalated=hours(10), resolved=hours(10 - mttr), closed=hours(0.1))
    durations = report().durations.time_to_resolve
    assert durations == DurationStats(3, hours(4), hours(2))
    case(opened=hours(20), escalated=hours(10), resolved=hours(10 - 4), closed=hours(0.1))
    durations = report().durations.time_to_resolve
    assert durations.count == 4
    assert durations.mean == hours(4)
    assert durations.median == hours(3)  # interpolated between 2h and 4h


def test_range_and_all_time_differ_for_old_cases():
    old = timedelta(days=30)
    case(opened=old + hours(10), escalated=old + hours(9), resolved=old + hours(5), closed=old)
    case(opened=hours(3), closed=hours(1))
    result = report()
    assert result.activity.opened == 1
    assert result.activity.incidents_declared == 0
    assert result.activity.escalation_rate == 0.0
    assert result.durations.time_to_resolve.count == 0
    assert result.durations.time_to_close == DurationStats(1, hours(2), hours(2))
    assert result.durations_all_time.time_to_resolve == DurationStats(1, hours(4), hours(4))
    assert result.durations_all_time.time_to_close == DurationStats(2, hours(6), hours(6))
    all_time = report(Period())
    assert all_time.activity.opened == 2
    assert all_time.activity.escalation_rate == 0.5


def test_range_is_half_open():
    start = NOW - timedelta(days=7)
    case(opened=timedelta(days=7))  # exactly at the start: in
    case(opened=timedelta(days=7, seconds=1))  # one second earlier: out
    case(opened=timedelta(0))  # exactly at the end: out
    assert report().activity.opened == 1
    assert report(Period(start=start, end=NOW + timedelta(seconds=1))).activity.opened == 2


def test_escalation_rate_label_says_what_it_divides():
    assert "share of investigations opened in the range" in ESCALATION_RATE_LABEL


def test_team_performance_per_person():
    case(opened=hours(10), by="U_ANN", escalated=hours(9), commander="U_BOB",
         resolved=hours(7), resolved_by="U_BOB", closed=hours(1),
         evidence=(("U_CAT", hours(8)), ("U_CAT", hours(8)), ("U_ANN", hours(8))))
    case(opened=hours(6), by="U_ANN", escalated=hours(5), commander="U_BOB",
         resolved=hours(1), resolved_by="U_CAT")
    case(opened=hours(4), by="U_BOB", escalated=hours(3), commander="U_ANN")
    case(opened=timedelta(days=40), by="U_OLD")  # outside the range
    team = {person.user_id: person for person in team_performance(period=LAST_7_DAYS)}
    assert set(team) == {"U_ANN", "U_BOB", "U_CAT"}
    ann, bob, cat = team["U_ANN"], team["U_BOB"], team["U_CAT"]
    assert (ann.opened, ann.commanded, ann.resolved, ann.evidence) == (2, 1, 0, 1)
    assert ann.mttr_mean is None  # their incident is still active
    assert (bob.opened, bob.commanded, bob.resolved, bob.evidence) == (1, 2, 1, 0)
    assert bob.commanded_resolved == 2
    assert bob.mttr_mean == hours(3)  # (2h + 4h) / 2
    assert (cat.opened, cat.commanded, cat.resolved, cat.evidence) == (0, 0, 1, 2)
    top = team_performance(period=LAST_7_DAYS, limit=2)
    assert [person.user_id for person in top] == ["U_ANN", "U_BOB"]


def test_weekly_series_fills_empty_weeks():
    def ago(*moment: int) -> timedelta:
        return NOW - datetime(*moment, tzinfo=UTC)

    # Sunday 9 June (week of 3 June), resolved 2 h after escalation.
    case(opened=ago(2024, 6, 9, 20), escalated=ago(2024, 6, 9, 21), resolved=ago(2024, 6, 9, 23))
    case(opened=ago(2024, 5, 27))  # a Monday, midnight
    case(opened=hours(1))
    period = Period(start=datetime(2024, 5, 22, tzinfo=UTC), end=NOW)
    weeks = weekly_series(period=period, now=NOW)
    assert [week.start.date().isoformat() for week in weeks] == [
        "2024-05-20", "2024-05-27", "2024-06-03", "2024-06-10",
    ]
    assert [week.opened for week in weeks] == [0, 1, 1, 1]
    assert [week.incidents_declared for week in weeks] == [0, 0, 1, 0]
    assert [week.escalation_rate for week in weeks] == [None, 0.0, 1.0, 0.0]
    assert [week.mttr_mean for week in weeks] == [None, None, hours(2), None]


def test_weekly_series_of_an_empty_history_is_empty():
    assert weekly_series(period=Period(), now=NOW) == []


def _queries_for_everything() -> int:
    with CaptureQueriesContext(connection) as queries:
        metrics_report(period=LAST_7_DAYS, now=NOW)
        metrics_report(period=Period(), now=NOW)
        weekly_series(period=Period(start=NOW - timedelta(days=30), end=NOW), now=NOW)
    return len(queries)


def test_query_count_does_not_grow_with_history():
    many(10)
    with_10 = _queries_for_everything()
    many(990, start=10)
    with_1000 = _queries_for_everything()
    assert with_10 == with_1000
    # Two reports of (the snapshot lookup + 2 aggregates + 4 team queries +
    # medians where SQL lacks them) and three weekly GROUP BYs.
    per_report = 7 if connection.vendor == "postgresql" else 13
    assert with_1000 == 2 * per_report + 3


def _history_for_the_snapshot() -> None:
    case(opened=hours(30 * 24), escalated=hours(30 * 24 - 1), resolved=hours(30 * 24 - 3),
         closed=hours(29 * 24), by="U_OLD", commander="U_OLD")
    case(opened=hours(5), escalated=hours(4), resolved=hours(2), closed=hours(1), by="U_NEW")
    case(opened=hours(2), by="U_NEW")


def test_snapshot_holds_the_same_all_time_figures_as_a_live_report():
    _history_for_the_snapshot()
    live = metrics_report(period=Period(), now=NOW)
    stored = all_time_snapshot_refresh(now=NOW)
    answered = metrics_report(period=Period(), now=NOW + timedelta(minutes=1))
    assert live.all_time_as_of is None
    assert answered.all_time_as_of == stored.all_time_as_of == NOW
    assert answered.activity == live.activity
    assert answered.durations == answered.durations_all_time == live.durations_all_time
    assert answered.team == live.team
    assert answered.current == live.current


def test_with_a_snapshot_the_range_and_current_counts_stay_live():
    _history_for_the_snapshot()
    all_time_snapshot_refresh(now=NOW - timedelta(minutes=1))
    case(opened=hours(1), escalated=timedelta(minutes=30), by="U_LATE")  # after the snapshot
    result = report()
    live = metrics_report(period=LAST_7_DAYS, now=NOW + timedelta(days=365))  # no snapshot: live
    assert result.all_time_as_of == NOW - timedelta(minutes=1)
    assert result.activity.opened == 3
    assert result.current == CurrentCounts(investigating=1, incidents_active=1,
                                           incidents_resolved_not_closed=0)
    assert "U_LATE" in {person.user_id for person in result.team}
    # All-time durations as of the snapshot: the late escalation is not in them yet.
    assert result.durations_all_time.time_to_escalate.count == 2
    assert live.durations_all_time.time_to_escalate.count == 3


def test_a_stale_or_future_snapshot_is_ignored():
    _history_for_the_snapshot()
    all_time_snapshot_refresh(now=NOW - timedelta(seconds=settings.REPORTING_SNAPSHOT_MAX_AGE + 1))
    assert report().all_time_as_of is None
    all_time_snapshot_refresh(now=NOW + timedelta(minutes=1))
    assert report().all_time_as_of is None


def test_with_a_snapshot_queries_stay_few_and_constant():
    many(10)
    all_time_snapshot_refresh(now=NOW)
    with CaptureQueriesContext(connection) as queries:
        metrics_report(period=LAST_7_DAYS, now=NOW)
    with CaptureQueriesContext(connection) as all_time:
        metrics_report(period=Period(), now=NOW)
    # The snapshot lookup + 2 range aggregates + 4 team queries (+ SQLite's medians);
    # all time: the lookup and the current counts.
    assert len(queries) == (7 if connection.vendor == "postgresql" else 10)
    assert len(all_time) == 2


def test_the_note_says_the_all_time_figures_come_from_the_snapshot_and_when():
    _history_for_the_snapshot()
    assert all_time_note(report()) == ""
    refresh_all_time_snapshot_task.apply()  # the beat task, run eagerly
    answered = metrics_report(period=LAST_7_DAYS, now=datetime.now(tz=UTC))
    assert answered.all_time_as_of is not None
    assert all_time_note(answered).startswith(
        f"All-time figures as of {answered.all_time_as_of:%Y-%m-%d %H:%M} UTC (recomputed every"
    )
