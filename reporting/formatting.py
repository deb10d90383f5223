"""The one duration formatter: a timedelta as people read it ("2d 3h")."""

from datetime import timedelta

_MINUTE = 60
_HOUR = 60 * _MINUTE


def _round_half_up(value: float) -> int:
    return int(value + 0.5)


def format_duration(duration: timedelta) -> str:
    """Render `duration` in its two largest units: "2d 3h", "1h 5m", "45m", "30s".

    The value is rounded to the smallest unit shown *before* it is split, so a
    carry moves up a unit ("1h 59m 40s" is "2h", never "1h 60m"; "23h 59m 50s"
    is "1d"). A zero second unit is left out ("3d", "1h"). Negative durations
    (clock skew) keep their sign.
    """
    seconds = duration.total_seconds()
    if seconds < 0:
        return "-" + format_duration(-duration)
    if _round_half_up(seconds) < _MINUTE:
        return f"{_round_half_up(seconds)}s"
    minutes = _round_half_up(seconds / _MINUTE)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(_round_half_up(seconds / _HOUR), 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def format_rate(rate: float | None) -> str:
    """A share in [0, 1] as a whole percentage ("25%"); None is "No data"."""
    return "No data" if rate is None else f"{rate * 100:.0f}%"
