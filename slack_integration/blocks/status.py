"""`/case status`: one investigation's state, incident and PagerDuty delivery."""

from datetime import datetime
from typing import Any

from investigations.effects import Effect
from investigations.models import Investigation
from investigations.selectors import FailedDelivery, PagerDutyStatus
from slack_integration.blocks.base import (
    context,
    date,
    duration,
    escape,
    fields,
    message,
    section,
    user,
)
from slack_integration.blocks.phases import phase_badge

# What each side effect is, as the people in the channel would say it.
EFFECT_LABELS = {
    Effect.SLACK_OPEN_CHANNEL: "Setting up the channel",
    Effect.SLACK_ESCALATION_NOTICE: "The escalation notice",
    Effect.SLACK_INVITE_RESPONSE_GROUP: "Inviting the response group",
    Effect.SLACK_RESOLUTION_NOTICE: "The resolution notice",
    Effect.SLACK_TRANSFER_NOTICE: "The transfer notice",
    Effect.SLACK_CLOSING_SUMMARY: "The closing summary",
    Effect.SLACK_ARCHIVE_CHANNEL: "Archiving the channel",
    Effect.SLACK_POST_EVIDENCE: "Posting collected evidence",
    Effect.SLACK_REFRESH_ANNOUNCEMENT: "Updating the announcement and topic",
    Effect.SLACK_PAGERDUTY_FAILED_NOTICE: "The notice that paging failed",
}
FAILURES_SHOWN = 5


def _incident_field(investigation: Investigation, now: datetime) -> str:
    incident = getattr(investigation, "incident", None)
    if incident is None:
        return "*Incident:*\nNone"
    if incident.resolved_at is None:
        return (
            f"*Incident:*\n🚨 Active since {date(incident.escalated_at)} "
            f"({duration(now - incident.escalated_at)}), commander {user(incident.commander)}"
        )
    return (
        f"*Incident:*\n✅ Resolved {date(incident.resolved_at)} by {user(incident.resolved_by)}, "
        f"after {duration(incident.resolved_at - incident.escalated_at)}"
    )


def _pagerduty_field(status: PagerDutyStatus) -> str:
    line = status.label
    if status.sending:
        line = f"{line}; sending the {status.sending} (try {status.attempts + 1})"
    if status.reason:
        line = f"{line}: {escape(status.reason)}"
    return f"*PagerDuty:*\n{line}"


def _failures_section(failures: list[FailedDelivery]) -> dict[str, Any]:
    lines = [
        f"• {EFFECT_LABELS.get(failure.kind, failure.kind)}: {escape(failure.reason)}"
        for failure in failures[:FAILURES_SHOWN]
    ]
    if len(failures) > FAILURES_SHOWN:
        lines.append(f"• …and {len(failures) - FAILURES_SHOWN} more")
    return section(
        "⚠️ *Not delivered* (an admin can retry these from the outbox):\n" + "\n".join(lines)
    )


def status_message(
    investigation: Investigation,
    *,
    pagerduty: PagerDutyStatus | None,
    now: datetime,
    failures: list[FailedDelivery] | None = None,
) -> dict[str, Any]:
    end = investigation.closed_at or now
    count = getattr(investigation, "evidence_count", None)
    items = [
        f"*Status:*\n{phase_badge(investigation.phase)}",
        f"*Opened by:*\n{user(investigation.opened_by)} {date(investigation.opened_at)}",
        f"*Open for:*\n{duration(end - investigation.opened_at)}"
        + (" (closed)" if investigation.closed_at else ""),
        _incident_field(investigation, now),
    ]
    if count is not None:
        items.insert(3, f"*Evidence:*\n{count} message{'' if count == 1 else 's'}")
    if pagerduty is not None:
        items.append(_pagerduty_field(pagerduty))
    blocks = [
        section(f"*{escape(investigation.name)}*\n{escape(investigation.title)}"),
        fields(*items),
    ]
    if failures:
        blocks.append(_failures_section(failures))
    if investigation.failure_reason:
        blocks.append(context(f"Why it failed: {escape(investigation.failure_reason)}"))
    return message(
        f"{investigation.name}: {phase_badge(investigation.phase)}. {escape(investigation.title)}",
        *blocks,
    )
