"""Messages of `/case open`: the welcome in the new channel, and what the opener is told."""

from collections.abc import Sequence
from typing import Any

from investigations.models import Investigation
from slack_integration.blocks.base import (
    channel,
    context,
    date,
    divider,
    escape,
    header,
    message,
    section,
    user,
)
from slack_integration.ids import COLLECT_EVIDENCE_NAME

TOPIC_LIMIT = 250  # Slack refuses longer topics (`too_long`)


def channel_topic_on_open(title: str) -> str:
    return f"🔍 {title}"[:TOPIC_LIMIT]


def opening_text(title: str) -> str:
    """The ack of `/case open`: the title as Case understood it."""
    return f"⏳ Opening an investigation: {escape(title)}. The channel link follows in a moment."


def _commands(names: Sequence[str]) -> str:
    return ", ".join(f"`/case {name}`" for name in names)


def welcome_message(
    investigation: Investigation, *, here: Sequence[str], anywhere: Sequence[str]
) -> dict[str, Any]:
    """The first message in the case channel; `here` and `anywhere` come from the registry."""
    return message(
        f"Investigation {investigation.name}: {escape(investigation.title)}. "
        "Next steps: collect evidence, /case incident if a service is affected, "
        "/case resolve when it is restored, /case close after the follow-up.",
        header(f"🔍 Investigation {investigation.name}"),
        section(
            f"*Title:* {escape(investigation.title)}\n"
            f"*Opened by:* {user(investigation.opened_by)} {date(investigation.opened_at)}\n"
            "*Status:* Investigating"
        ),
        divider(),
        section(
            "*Next steps*\n"
            f"1. *Collect evidence* 📎: on any message, click ⋯ (More actions), then "
            f"*{COLLECT_EVIDENCE_NAME}*.\n"
            "2. *If a service is affected* 🚨: `/case incident` escalates to an incident, "
            "makes you its commander and brings in the response team.\n"
            "3. *When service is restored* ✅: `/case resolve` ends the incident; the "
            "investigation stays open for the follow-up.\n"
            "4. *When the follow-up is done* 📁: `/case close` closes it and archives this channel."
        ),
        context(
            f"In this channel: {_commands(here)}. Anywhere, DMs included: {_commands(anywhere)}."
        ),
    )


def opened_message(investigation: Investigation, *, issues_channel_id: str) -> dict[str, Any]:
    """The opener's confirmation, with the link."""
    link = channel(investigation.channel_id or "")
    where = f" It is announced in {channel(issues_channel_id)}." if issues_channel_id else ""
    text = f"✅ Investigation *{escape(investigation.name)}* is open: {link}. You're in it.{where}"
    return message(text, section(text))


def open_failed_message(title: str, reason: str) -> dict[str, Any]:
    """The opener is told plainly that nothing was opened, and why."""
    text = (
        f"⚠️ Case could not open the investigation “{escape(title)}”: {escape(reason)}. "
        "Nothing was opened; try `/case open` again in a few minutes."
    )
    return message(text, section(text))
