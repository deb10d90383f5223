"""The closing summary posted in a case channel before it is archived."""

from investigations.models import Incident, Investigation
from slack_integration.blocks.base import context, duration, escape, fields, message, section, user


def closing_summary(
    investigation: Investigation, *, incident: Incident | None, evidence_count: int
) -> dict:
    """Who closed the case, how long it ran, what it collected, who commanded."""
    closed_at = investigation.closed_at or investigation.opened_at
    length = duration(closed_at - investigation.opened_at)
    collected = "1 item" if evidence_count == 1 else f"{evidence_count} items"
    commander = user(incident.commander) if incident is not None else "none (never escalated)"
    items = [
        f"*Title:*\n{escape(investigation.title)}",
        f"*Open for:*\n{length}",
        f"*Evidence collected:*\n{collected}",
        f"*Incident commander:*\n{commander}",
    ]
    if incident is not None and incident.resolved_at is not None:
        incident_length = duration(incident.resolved_at - incident.escalated_at)
        items.append(f"*Incident duration:*\n{incident_length}")
    closer = user(investigation.closed_by)
    return message(
        f"📁 Case {investigation.name} closed by {closer}: "
        f"open for {length}, {collected} of evidence. This channel is being archived.",
        section(f"📁 *Case {escape(investigation.name)} closed* by {closer}"),
        fields(*items),
        context(
            "This channel is being archived. The evidence links and the audit trail are kept."
        ),
    )


def closed_reply(investigation: Investigation) -> str:
    """What the closer is told; everyone sees the summary before the archive."""
    return (
        f"📁 Closing *{escape(investigation.name)}*: a summary is being posted here, "
        "then the channel is archived."
    )
