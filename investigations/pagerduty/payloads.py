"""Pure builders of the PagerDuty Events API v2 events Case sends.

No I/O and no settings here: callers pass the routing key and severity, so
the shapes can be tested (and validated against the official schema) alone.
"""

import re
from datetime import datetime
from typing import Any
from uuid import UUID

# PagerDuty truncates longer summaries; Case truncates first, on a word.
SUMMARY_LIMIT = 1024
SEVERITIES = ("critical", "error", "warning", "info")
CLIENT_NAME = "Case"
ELLIPSIS = "…"

Event = dict[str, Any]


def dedup_key_for(public_id: UUID | str) -> str:
    """One alert per investigation: the trigger and the resolve share this key."""
    return f"case/{public_id}"


def summary_for(title: str, limit: int = SUMMARY_LIMIT) -> str:
    """The title on one line, cut on a word boundary to fit `limit` characters."""
    summary = re.sub(r"\s+", " ", title).strip()
    if len(summary) <= limit:
        return summary
    cut = summary[: limit - len(ELLIPSIS) + 1]
    # Drop the partial last word unless that would leave almost nothing.
    head, _, _ = cut.rpartition(" ")
    if len(head) < limit // 2:
        head = cut[:-1]
    return head.rstrip(" ,;:.-") + ELLIPSIS


def trigger_event(
    *,
    routing_key: str,
    public_id: UUID | str,
    title: str,
    name: str,
    commander: str,
    escalated_at: datetime,
    severity: str,
    channel_id: str = "",
    channel_url: str = "",
) -> Event:
    """The `trigger` that opens (or, repeated, joins) the incident's alert."""
    details = {"name": name, "commander": commander, "channel": f"#{name}"}
    if channel_id:
        details["channel_id"] = channel_id
    if channel_url:
        details["channel_url"] = channel_url
    event: Event = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key_for(public_id),
        "client": CLIENT_NAME,
        "payload": {
            "summary": summary_for(title),
            "source": f"Slack #{name}",
            "severity": severity,
            "timestamp": escalated_at.isoformat(),
            "component": name,
            "class": "incident",
            "custom_details": details,
        },
    }
    if channel_url:
        event["client_url"] = channel_url
        event["links"] = [{"href": channel_url, "text": f"Slack channel #{name}"}]
    return event


def resolve_event(*, routing_key: str, public_id: UUID | str) -> Event:
    """The `resolve` that closes the alert the trigger opened."""
    return {
        "routing_key": routing_key,
        "event_action": "resolve",
        "dedup_key": dedup_key_for(public_id),
    }
