"""The one `environ.Env` of the project, and the helpers that read lists."""

from pathlib import Path

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
