"""`/case stats`: the operational dashboard from a `reporting.metrics.Report`."""

from typing import Any

from reporting.formatting import format_rate
from reporting.metrics import Activity, DurationStats, PersonStats, Report, all_time_note
from slack_integration.blocks.base import (
    context,
    date,
    divider,
    duration,
    fields,
    header,
    message,
    section,
    user,
)

NO_DATA = "No data yet"
TEAM_SHOWN = 3


def range_label(days: int) -> str:
    """How the command's range reads back: "Last 7 days", "Last 12 weeks"."""
    if days % 7 == 0 and days > 7:
        return f"Last {days // 7} weeks"
    return f"Last {days} day{'' if days == 1 else 's'}"


def _durations(stats: DurationStats) -> str:
    if not stats.count or stats.mean is None or stats.median is None:
        return NO_DATA
    return f"{duration(stats.mean)} mean · {duration(stats.median)} median ({stats.count})"


def _duration_field(title: str, in_range: DurationStats, all_time: DurationStats, label: str) -> str:
    return f"*{title}*\n{label}: {_durations(in_range)}\nAll time: {_durations(all_time)}"


def _activity_fields(activity: Activity) -> list[str]:
    return [
        f"*Investigations opened:*\n{activity.opened}",
        f"*Incidents declared:*\n{activity.incidents_declared}",
        "*Escalation rate:*\n"
        + (
            NO_DATA if activity.escalation_rate is None
            else f"{format_rate(activity.escalation_rate)} of the investigations opened "
            f"({activity.escalated_of_opened} of {activity.opened})"
        ),
        f"*Investigations closed:*\n{activity.closed}",
        f"*Investigation time:*\n{duration(activity.investigation_time)}",
        f"*Incident time:*\n{duration(activity.incident_time)}",
    ]


def _person_line(person: PersonStats) -> str:
    mttr = f" · MTTR {duration(person.mttr_mean)}" if person.mttr_mean is not None else ""
    return (
        f"{user(person.user_id)}: opened {person.opened} · commanded {person.commanded} · "
        f"resolved {person.resolved} · evidence {person.evidence}{mttr}"
    )


def stats_message(report: Report, *, label: str) -> dict[str, Any]:
    """The dashboard for `report`'s range (`label`, e.g. "Last 7 days") and all time."""
    snapshot = all_time_note(report)
    updated = context(
        f"Updated {date(report.now)} · pending and failed investigations are not counted"
        + (f" · {snapshot}" if snapshot else "")
    )
    title = header("📊 Operational Dashboard")
    if not report.has_data:
        return message(
            f"📊 Operational Dashboard: {NO_DATA}",
            title,
            section(f"{NO_DATA}: open an investigation with `/case open &lt;title&gt;` to start."),
            updated,
        )
    now, durations, all_time = report.current, report.durations, report.durations_all_time
    team = report.team[:TEAM_SHOWN]
    return message(
        f"📊 Operational Dashboard: {now.investigating} investigating, "
        f"{now.incidents_active} active incident(s)",
        title,
        section("*Now*"),
        fields(
            f"🔍 *Investigating:*\n{now.investigating}",
            f"🚨 *Incidents active:*\n{now.incidents_active}",
            f"🩹 *Resolved, awaiting close:*\n{now.incidents_resolved_not_closed}",
        ),
        divider(),
        section(f"*{label}*"),
        fields(*_activity_fields(report.activity)),
        divider(),
        section("*How long things take*"),
        fields(
            _duration_field("Time to resolve (MTTR, escalated → resolved)",
                            durations.time_to_resolve, all_time.time_to_resolve, label),
            _duration_field("Time to escalate (opened → escalated)",
                            durations.time_to_escalate, all_time.time_to_escalate, label),
            _duration_field("Time to close (opened → closed)",
                            durations.time_to_close, all_time.time_to_close, label),
        ),
        divider(),
        section(f"*Team, {label.lower()}*\n"
                + ("\n".join(_person_line(p) for p in team) if team else NO_DATA)),
        updated,
    )

