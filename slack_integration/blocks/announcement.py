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
from slack_integration.blocks.opening import TOPIC_LIMIT, channel_topic_on_open
from slack_integration.blocks.phases import PHASES

# The phases an announcement shows (pending and failed cases have none).
SHOWN = (Phase.INVESTIGATING, Phase.INCIDENT_ACTIVE, Phase.INCIDENT_RESOLVED, Phase.CLOSED)


def _incident_of(investigation: Investigation) -> Incident | None:
    return getattr(investigation, "incident", None)


def announcement(investigation: Investigation) -> dict:
    """The whole announcement: state, title, channel link, people and times."""
    phase = investigation.phase if investigation.phase in SHOWN else Phase.INVESTIGATING
    emoji, label = PHASES[phase]
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
    if phase == Phase.CLOSED and investigation.closed_at is not None:
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
    if phase not in SHOWN or phase == Phase.CLOSED:
        return None
    if phase == Phase.INVESTIGATING:
        return channel_topic_on_open(investigation.title)
    emoji, label = PHASES[phase]
    return f"{emoji} {label.split(',')[0]} · {investigation.title}"[:TOPIC_LIMIT]
