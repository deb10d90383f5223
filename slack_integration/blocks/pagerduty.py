"""The notice posted in a case channel when PagerDuty could not be reached for good."""

from typing import Any

from slack_integration.blocks.base import context, escape, message, section, user

_WHAT_FAILED = {
    "trigger": (
        "PagerDuty could not be paged",
        "Page the on-call responder by hand (PagerDuty app or phone).",
    ),
    "resolve": (
        "PagerDuty could not be told the incident is resolved",
        "Resolve the alert in PagerDuty by hand.",
    ),
}


def pagerduty_failed_notice(
    *, action: str, reason: str, commander: str = ""
) -> dict[str, Any]:
    """What failed, why (PagerDuty's words), and what to do by hand."""
    headline, todo = _WHAT_FAILED.get(action, _WHAT_FAILED["trigger"])
    blocks = [section(f"⚠️ *{headline}.* {todo}")]
    details = [f"Reason: {escape(reason)}" if reason else "Reason: unknown"]
    if commander:
        details.append(f"Incident commander: {user(commander)}")
    blocks.append(context(*details))
    return message(f"⚠️ {headline}. {todo}", *blocks)
