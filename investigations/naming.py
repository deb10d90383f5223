"""Titles as users meant them, and the channel names derived from them."""

import re
import secrets
import unicodedata

from investigations.exceptions import InvalidTitle

TITLE_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 12  # parity with the original's short names (Slack allows 80)
SLUG_FALLBACK = "investigation"
CHANNEL_PREFIX = "case"

_SLACK_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_WHITESPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-]+")
_NOT_SLUG = re.compile(r"[^a-z0-9\s\-]")


def title_from_slack(text: str) -> str:
    """Undo Slack's `&amp; &lt; &gt;` escaping once and tidy whitespace.

    `&amp;` is undone last, so `&amp;lt;` (a typed "&lt;") stays "&lt;".
    """
    for entity, char in _SLACK_ENTITIES:
        text = text.replace(entity, char)
    return _WHITESPACE.sub(" ", text).strip()


def title_validate(title: str) -> str:
    """Return the tidied title, or raise `InvalidTitle` saying what is wrong."""
    title = _WHITESPACE.sub(" ", title).strip()
    if not title:
        raise InvalidTitle("Give the investigation a title, e.g. `/case open API latency high`.")
    if len(title) > TITLE_MAX_LENGTH:
        raise InvalidTitle(
            f"The title is {len(title)} characters long; keep it to {TITLE_MAX_LENGTH} or fewer."
        )
    return title


def slug_from_title(title: str) -> str:
    """Lower-case ASCII slug of at most 12 characters, never ending in a hyphen."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    kept = _NOT_SLUG.sub("", folded.lower())
    slug = _SEPARATORS.sub("-", kept).strip("-")
    slug = slug[:SLUG_MAX_LENGTH].rstrip("-")
    return slug or SLUG_FALLBACK


def random_suffix() -> str:
    """Three lowercase hex characters from a cryptographic source."""
    return f"{secrets.randbelow(16**3):03x}"


def channel_name(title: str, suffix: str | None = None) -> str:
    """`case-{slug}-{suffix}`: the investigation's name and its Slack channel's."""
    return f"{CHANNEL_PREFIX}-{slug_from_title(title)}-{suffix or random_suffix()}"
