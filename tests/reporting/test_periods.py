"""Ranges and dates typed by people are read, or refused with a reason."""

from datetime import UTC, date, datetime, timedelta

import pytest

from reporting.periods import Period, PeriodError, parse_date, parse_span, period_from_dates


@pytest.mark.parametrize(
    ("text", "days"), [("7d", 7), ("30d", 30), (" 30 D ", 30), ("12w", 84), ("1d", 1)]
)
def test_parse_span(text, days):
    assert parse_span(text) == timedelta(days=days)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month", "is not a range I understand"),
        ("30", "is not a range I understand"),
        ("-3d", "is not a range I understand"),
        ("0d", "between 1 day and"),
        ("99999d", "between 1 day and"),
    ],
)
def test_parse_span_refuses(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_span(text)


def test_parse_date():
    assert parse_date("2024-03-31") == date(2024, 3, 31)
    with pytest.raises(PeriodError, match="write it as YYYY-MM-DD"):
        parse_date("31/03/2024")


def test_period_from_dates_includes_the_last_day():
    period = period_from_dates(date(2024, 3, 1), date(2024, 3, 31))
    assert period == Period(
        start=datetime(2024, 3, 1, tzinfo=UTC), end=datetime(2024, 4, 1, tzinfo=UTC)
    )
    assert period_from_dates(None, None).is_all_time


def test_period_from_dates_refuses_a_reversed_range():
    with pytest.raises(PeriodError, match="is before the start date"):
        period_from_dates(date(2024, 3, 2), date(2024, 3, 1))


def test_last_days_is_a_rolling_window():
    now = datetime(2024, 6, 12, 12, 30, tzinfo=UTC)
    assert Period.last(days=7, now=now) == Period(start=now - timedelta(days=7), end=now)
    assert Period.last(days=7, now=now).describe() == "2024-06-05 to 2024-06-12"
