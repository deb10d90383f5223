"""How each phase of an investigation is shown: an emoji and a label."""

from investigations.state_machine import Phase

PHASES: dict[Phase, tuple[str, str]] = {
    Phase.PENDING: ("⏳", "Channel being created"),
    Phase.INVESTIGATING: ("🔍", "Investigating"),
    Phase.INCIDENT_ACTIVE: ("🚨", "Incident active"),
    Phase.INCIDENT_RESOLVED: ("✅", "Incident resolved, awaiting close"),
    Phase.CLOSED: ("📁", "Closed"),
    Phase.FAILED: ("⚠️", "Failed to open"),
}


def phase_emoji(phase: Phase) -> str:
    return PHASES[phase][0]


def phase_badge(phase: Phase) -> str:
    """"🚨 Incident active"."""
    emoji, label = PHASES[phase]
    return f"{emoji} {label}"
