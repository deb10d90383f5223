"""`/case help`: every subcommand from the registry, and the shortcut."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_integration.blocks.base import context, divider, escape, header, message, section
from slack_integration.ids import COLLECT_EVIDENCE_NAME


@dataclass(frozen=True)
class HelpEntry:
    usage: str
    help: str
    in_case_channel: bool = False


def _line(entry: HelpEntry) -> str:
    suffix = " _(in an investigation's channel)_" if entry.in_case_channel else ""
    return f"• `/case {escape(entry.usage)}`: {escape(entry.help)}{suffix}"


def help_message(entries: Sequence[HelpEntry]) -> dict[str, Any]:
    commands = "\n".join(_line(entry) for entry in entries)
    usages = escape(", ".join(f"/case {entry.usage}" for entry in entries))
    return message(
        f"Case commands: {usages}. Collect evidence with the \"{COLLECT_EVIDENCE_NAME}\" "
        "message shortcut.",
        header("🔍 Case: investigations and incidents in Slack"),
        section(f"*Commands*\n{commands}"),
        divider(),
        section(
            "*Collecting evidence*\n"
            "Hover over any message, click ⋯ (More actions) and choose "
            f"*{COLLECT_EVIDENCE_NAME}* to link it to an investigation. "
            "Case keeps the link, never the message itself."
        ),
        context(
            "`/case` alone lists the open investigations. Subcommands are case-insensitive. "
            "Commands not marked _in an investigation's channel_ work anywhere, DMs included."
        ),
    )
