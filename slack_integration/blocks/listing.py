"""`/case list`: the open investigations, one section each, within Slack's limits."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from investigations.models import Investigation
from investigations.state_machine import Phase
from slack_integration.blocks.base import (
    MAX_BLOCKS,
    channel,
    context,
    date,
    duration,
    escape,
    header,
    message,
    section,
    user,
)
from slack_integration.blocks.phases import phase_badge, phase_emoji

# A header, this many sections, and the "and N more" line: 50 blocks at most.
MAX_LISTED = MAX_BLOCKS - 2
# `&lt;title&gt;`: a raw `<title>` is a link to Slack, shown as "title".
EMPTY = "No open investigations. Open one with `/case open &lt;title&gt;`."


def _entry(investigation: Investigation, now: datetime) -> dict[str, Any]:
    phase = investigation.phase
    count = getattr(investigation, "evidence_count", None)
    facts = [
        f"opened by {user(investigation.opened_by)} {date(investigation.opened_at)}",
        f"open for {duration(now - investigation.opened_at)}",
    ]
    if count is not None:
        facts.append(f"{count} evidence")
    lines = [
        f"{phase_emoji(phase)} {channel(investigation.channel_id or '')} *{escape(investigation.name)}*"
        f" · {phase_badge(phase)}",
        escape(investigation.title),
        " · ".join(facts),
    ]
    incident = getattr(investigation, "incident", None)
    if incident is not None and phase in (Phase.INCIDENT_ACTIVE, Phase.INCIDENT_RESOLVED):
        lines.append(f"Incident commander: {user(incident.commander)}")
    return section("\n".join(lines))


def investigation_list_message(
    investigations: Sequence[Investigation], *, total: int, now: datetime
) -> dict[str, Any]:
    """`investigations` newest first (at most MAX_LISTED are shown); `total` of all open."""
    if total == 0:
        return message(EMPTY, section(EMPTY))
    shown = list(investigations[:MAX_LISTED])
    noun = "investigation" if total == 1 else "investigations"
    blocks = [header(f"📋 {total} open {noun}"), *(_entry(i, now) for i in shown)]
    hidden = total - len(shown)
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more, older ones not shown."))
    names = ", ".join(i.name for i in shown)
    more = f" and {hidden} more" if hidden > 0 else ""
    return message(f"{total} open {noun}: {names}{more}", *blocks)
