"""The one `environ.Env` of the project, and the helpers that read its values.

Every helper trims the value and treats an empty one as unset. A value that
cannot be read (`SLACK_API_TIMEOUT=abc`) falls back to the default and is
recorded in `PROBLEMS`, which check case.E003 reports: never an exception at
import time.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_list(name: str) -> list[str]:
    """Read a comma-separated list: items trimmed, empties dropped, unset -> []."""
    raw = env.str(name, default="") or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    """Read a string, trimmed; an empty value counts as unset."""
    value = (env.str(name, default="") or "").strip()
    return value or default


# Values that could not be read, by variable name (reported by check case.E003).
PROBLEMS: dict[str, str] = {}

_TRUE = {"true", "on", "ok", "y", "yes", "1"}
_FALSE = {"false", "off", "n", "no", "0"}


def _typed(name: str, default: Any, cast: Callable[[str], Any], kind: str) -> Any:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return cast(raw)
    except ValueError:
        PROBLEMS[name] = f"{name}={raw!r} is not {kind}"
        return default


def env_int(name: str, default: int = 0) -> int:
    """Read a whole number; empty counts as unset."""
    return _typed(name, default, int, "a whole number")


def env_float(name: str, default: float = 0.0) -> float:
    """Read a number; empty counts as unset."""
    return _typed(name, default, float, "a number")


def _bool(raw: str) -> bool:
    if raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    raise ValueError(raw)


def env_bool(name: str, default: bool = False) -> bool:
    """Read true/false (also yes/no, on/off, 1/0); empty counts as unset."""
    return _typed(name, default, _bool, "true or false")
