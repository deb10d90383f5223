"""Messages about an incident: escalated, resolved, commander transferred."""

from investigations.models import Incident, Investigation
from slack_integration.blocks.base import (
    channel,
    context,
    date,
    duration,
    escape,
    message,
    section,
    user,
)

_PAGERDUTY_LINE = {
    Incident.PagerDutyState.PENDING: "⏳ paging the on-call responder (`/case status` follows it)",
    Incident.PagerDutyState.TRIGGERED: "✅ on-call responder paged",
    Incident.PagerDutyState.RESOLVED: "✅ page resolved",
    Incident.PagerDutyState.FAILED: "⚠️ the page failed; page the on-call responder by hand",
}


def escalation_notice(
    investigation: Investigation, incident: Incident, *, response_group_id: str = ""
) -> dict:
    """The visible notice in the case channel when it becomes an incident."""
    commander = user(incident.escalated_by)
    lines = [
        f"*Investigation:* {escape(investigation.name)}",
        f"*Title:* {escape(investigation.title)}",
        f"*Incident commander:* {commander}",
    ]
    if response_group_id:
        lines.append(f"*Response group:* <!subteam^{response_group_id}> is being added")
    pagerduty = _PAGERDUTY_LINE.get(incident.pagerduty_state)
    if pagerduty:
        lines.append(f"*PagerDuty:* {pagerduty}")
    return message(
        f"🚨 Escalated to an active incident; {commander} is the incident commander.",
        section("🚨 *Escalated to an active incident*"),
        section("\n".join(lines)),
        context(f"Escalated by {commander} {date(incident.escalated_at)}"),
    )


def escalation_thread_reply(investigation: Investigation, incident: Incident) -> dict:
    """The escalation, threaded under the case's announcement in the issues channel."""
    commander = user(incident.escalated_by)
    return message(
        f"🚨 {investigation.name} escalated to an incident; commander {commander}.",
        section(f"🚨 *{escape(investigation.name)} escalated to an incident*"),
        section(
            f"*Title:* {escape(investigation.title)}\n"
            f"*Incident commander:* {commander}\n"
            f"*Channel:* {channel(investigation.channel_id or '')}"
        ),
    )


def resolution_notice(investigation: Investigation, incident: Incident) -> dict:
    """The visible notice that service is restored; the case stays open."""
    length = duration((incident.resolved_at or incident.escalated_at) - incident.escalated_at)
    return message(
        f"✅ Incident resolved after {length}; the investigation stays open for the post-mortem.",
        section(f"✅ *Incident {escape(investigation.name)} resolved*"),
        section(
            f"*Incident duration:* {length}\n"
            f"*Resolved by:* {user(incident.resolved_by)}\n"
            f"*Incident commander:* {user(incident.commander)}"
        ),
        context(
            "The investigation stays open for follow-up and the post-mortem. "
            "Use `/case close` when that work is done."
        ),
    )


def transfer_notice(
    investigation: Investigation, *, old_commander: str, new_commander: str, by: str
) -> dict:
    """The visible notice that the commander role changed hands."""
    return message(
        f"🔄 {user(new_commander)} is now the incident commander (was {user(old_commander)}).",
        section("🔄 *Incident commander role transferred*"),
        section(
            f"*From:* {user(old_commander)}\n*To:* {user(new_commander)}\n*By:* {user(by)}"
        ),
        context(f"Incident: *{escape(investigation.name)}*"),
    )


def escalated_reply(investigation: Investigation) -> str:
    """What the escalator is told (the channel gets the visible notice)."""
    return (
        f"🚨 *{escape(investigation.name)}* is now an active incident and you are its "
        "commander. The notice is being posted here and in the issues channel."
    )


def resolved_reply(investigation: Investigation, incident: Incident) -> str:
    length = duration((incident.resolved_at or incident.escalated_at) - incident.escalated_at)
    return (
        f"✅ Incident resolved after {length}. *{escape(investigation.name)}* stays open "
        "for the post-mortem; `/case close` when it is done."
    )


def transferred_reply(new_commander: str) -> str:
    return f"🔄 {user(new_commander)} is now the incident commander."
