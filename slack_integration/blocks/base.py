"""The pieces every Case message is built from: escaping, mentions, dates, blocks.

Pure functions, no I/O. Only `&`, `<` and `>` are escaped: that is all
Slack's mrkdwn decodes, and escaping `<` is what neutralises `<!channel>` or
`<@U…>` typed into a title (quotes and apostrophes stay as typed).

Slack's limits (https://api.slack.com/reference/block-kit/blocks): a section's
text at most 3000 characters, a header's 150, at most 10 elements in a context
block and 50 blocks in a message. The builders clamp to them, so no message of
Case's is ever refused for its size.
"""

from datetime import datetime, timedelta
from typing import Any

from reporting.formatting import format_duration

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
MAX_BLOCKS = 50
ELLIPSIS = "…"


def escape(text: str) -> str:
    """User text made inert for mrkdwn: `<!channel> down` pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user(user_id: str) -> str:
    return f"<@{user_id}>"


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def date(when: datetime) -> str:
    """A time each reader sees in their own time zone (UTC in the fallback)."""
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def duration(length: timedelta) -> str:
    """The one duration format of Case ("2d 3h", "1h 5m", "45m", "30s")."""
    return format_duration(length)


def code(text: str) -> str:
    """Inline code for user text (backticks removed so the span cannot break)."""
    return f"`{escape(text.replace('`', ''))}`"


def clamp(text: str, limit: int) -> str:
    """Cut mrkdwn text to `limit` characters without splitting an entity or a token.

    A cut never leaves half of `&amp;` or of `<@U…>` behind: it moves back to
    before the unfinished one, and ends with an ellipsis.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and cut.find(closer, start) == -1:
            cut = cut[:start]
    return cut + ELLIPSIS


def plain(text: str, limit: int = HEADER_LIMIT) -> dict[str, Any]:
    """A plain_text object (Slack shows it as typed: no escaping needed)."""
    if len(text) > limit:
        text = text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return {"type": "plain_text", "text": text, "emoji": True}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clamp(text, SECTION_LIMIT)}}


def fields(*items: str) -> dict[str, Any]:
    """A section of up to 10 two-column fields."""
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": clamp(item, FIELD_LIMIT)} for item in items[:10]],
    }


def context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clamp(t, SECTION_LIMIT)} for t in texts[:10]],
    }


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def message(text: str, *blocks: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage/chat.update and response_url posts:
    the blocks plus the fallback `text` that notifications and screen readers show."""
    return {"text": clamp(text, SECTION_LIMIT), "blocks": list(blocks[:MAX_BLOCKS])}
