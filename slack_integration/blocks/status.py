"""`/case status`: one investigation's state, incident and PagerDuty delivery."""

from datetime import datetime
from typing import Any

from investigations.models import Investigation
from investigations.selectors import PagerDutyStatus
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


def status_message(
    investigation: Investigation, *, pagerduty: PagerDutyStatus | None, now: datetime
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
    if investigation.failure_reason:
        blocks.append(context(f"Why it failed: {escape(investigation.failure_reason)}"))
    return message(
        f"{investigation.name}: {phase_badge(investigation.phase)}. {escape(investigation.title)}",
        *blocks,
    )
