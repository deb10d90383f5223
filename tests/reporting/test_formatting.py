"""One duration formatter, with carries that never show "1h 60m"."""

from datetime import timedelta

import pytest

from reporting.formatting import format_duration, format_rate


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=30), "30s"),
        (timedelta(seconds=59.4), "59s"),
        (timedelta(seconds=59.6), "1m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(minutes=59, seconds=40), "1h"),
        (timedelta(hours=1, minutes=5), "1h 5m"),
        (timedelta(minutes=119.6), "2h"),  # the original showed "1h 60m"
        (timedelta(hours=23, minutes=59, seconds=50), "1d"),
        (timedelta(hours=24), "1d"),  # the original showed "24h 0m"
        (timedelta(days=2, hours=3), "2d 3h"),
        (timedelta(days=2, hours=23, minutes=40), "3d"),
        (timedelta(days=400, hours=1), "400d 1h"),
        (timedelta(minutes=-90), "-1h 30m"),
    ],
)
def test_format_duration(duration, expected):
    assert format_duration(duration) == expected


@pytest.mark.parametrize(("rate", "expected"), [(None, "No data"), (0.0, "0%"), (0.25, "25%"), (1.0, "100%")])
def test_format_rate(rate, expected):
    assert format_rate(rate) == expected
