"""A case's announcement in the issues channel, and its channel topic, as
they should read in the case's current state."""

from investigations.models import Incident, Investigation
from investigations.state_machine import Phase
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

TOPIC_LIMIT = 250  # Slack refuses longer topics (`too_long`)

# (emoji, label) per phase the announcement can show.
STATES: dict[Phase, tuple[str, str]] = {
    Phase.INVESTIGATING: ("🔍", "Investigating"),
    Phase.INCIDENT_ACTIVE: ("🚨", "Incident active"),
    Phase.INCIDENT_RESOLVED: ("✅", "Incident resolved, follow-up under way"),
    Phase.CLOSED: ("📁", "Closed"),
}


def _incident_of(investigation: Investigation) -> Incident | None:
    return getattr(investigation, "incident", None)


def announcement(investigation: Investigation) -> dict:
    """The whole announcement: state, title, channel link, people and times."""
    emoji, label = STATES.get(investigation.phase, ("🔍", "Investigating"))
    link = channel(investigation.channel_id or "")
    lines = [
        f"*Title:* {escape(investigation.title)}",
        f"*Channel:* {link}",
        f"*Opened by:* {user(investigation.opened_by)} {date(investigation.opened_at)}",
    ]
    incident = _incident_of(investigation)
    if incident is not None:
        lines.append(f"*Incident commander:* {user(incident.commander)}")
        lines.append(f"*Escalated:* {date(incident.escalated_at)}")
        if incident.resolved_at is not None:
            length = duration(incident.resolved_at - incident.escalated_at)
            lines.append(f"*Resolved:* {date(incident.resolved_at)} after {length}")
    if investigation.phase == Phase.CLOSED and investigation.closed_at is not None:
        lines.append(
            f"*Closed by:* {user(investigation.closed_by)} {date(investigation.closed_at)}"
        )
        footer = f"{link} is archived; its history stays readable."
    else:
        footer = f"Head to {link} to collaborate on this case."
    return message(
        f"{emoji} Case {investigation.name}: {label}. Channel: {link}",
        section(f"{emoji} Case *{escape(investigation.name)}* · *{label}*"),
        section("\n".join(lines)),
        context(footer),
    )


def channel_topic(investigation: Investigation) -> str | None:
    """The case channel's topic: state, then the title; None when the channel
    should not be touched (closed, so archived or about to be)."""
    phase = investigation.phase
    if phase not in STATES or phase == Phase.CLOSED:
        return None
    emoji, label = STATES[phase]
    prefix = f"{emoji} " if phase == Phase.INVESTIGATING else f"{emoji} {label.split(',')[0]} · "
    return (prefix + investigation.title)[:TOPIC_LIMIT]
