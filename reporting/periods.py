"""Date ranges for reports: parsed from "30d" or dates, half-open, in UTC."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_DAYS = 7
MAX_DAYS = 3660  # ten years: anything longer is a typo, not a question

_SPAN = re.compile(r"^\s*(\d{1,5})\s*([dw])\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A range or date the user typed that cannot be read; `.message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    """`start <= t < end`; a missing bound is open (both missing: all time)."""

    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def last(cls, *, days: int = DEFAULT_DAYS, now: datetime) -> "Period":
        """The rolling window of `days` × 24 h ending at `now`."""
        return cls(start=now - timedelta(days=days), end=now)

    @property
    def is_all_time(self) -> bool:
        return self.start is None and self.end is None

    def describe(self) -> str:
        if self.is_all_time:
            return "all time"
        start = self.start.date().isoformat() if self.start else "the beginning"
        end = self.end.date().isoformat() if self.end else "now"
        return f"{start} to {end}"


def parse_span(text: str) -> timedelta:
    """Read "30d", "12w" (also "30 d") as a length; raise `PeriodError` otherwise."""
    match = _SPAN.match(text)
    if not match:
        raise PeriodError(
            f"“{text.strip()}” is not a range I understand; use days or weeks, e.g. `30d` or `12w`."
        )
    amount, unit = int(match[1]), match[2].lower()
    days = amount * (7 if unit == "w" else 1)
    if not 1 <= days <= MAX_DAYS:
        raise PeriodError(f"Choose a range between 1 day and {MAX_DAYS} days.")
    return timedelta(days=days)


def parse_date(text: str) -> date:
    """Read an ISO date (YYYY-MM-DD); raise `PeriodError` saying what is wrong."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31."
        ) from None


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def period_from_dates(since: date | None, until: date | None) -> Period:
    """Days `since` to `until`, both included; raise `PeriodError` if reversed."""
    if since and until and until < since:
        raise PeriodError(
            f"The end date {until.isoformat()} is before the start date {since.isoformat()}."
        )
    return Period(
        start=start_of_day(since) if since else None,
        end=start_of_day(until + timedelta(days=1)) if until else None,
    )
