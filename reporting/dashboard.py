"""The admin's metrics dashboard: figures and weekly charts for a chosen range."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from investigations.models import Investigation
from reporting.charts import Series, bar_chart, line_chart
from reporting.formatting import format_duration, format_rate
from reporting.metrics import (
    ESCALATION_RATE_LABEL,
    DurationStats,
    Report,
    Week,
    all_time_note,
    metrics_report,
    weekly_series,
)
from reporting.periods import Period, PeriodError, parse_date, parse_span, period_from_dates

PRESETS = ("7d", "30d", "90d", "365d", "all")
DEFAULT_PRESET = "90d"  # long enough for the weekly charts to show a trend
TEAM_ROWS = 10
BLUE, RED, GREEN = "#2b6cb0", "#c53030", "#2f855a"


@dataclass(frozen=True)
class Choice:
    period: Period
    preset: str  # "" when dates were given
    since: date | None = None
    until: date | None = None
    error: str = ""


def _default(now: datetime, error: str) -> Choice:
    return Choice(Period(start=now - parse_span(DEFAULT_PRESET), end=now), DEFAULT_PRESET,
                  error=error)


def choose_period(params: dict[str, str], now: datetime) -> Choice:
    """The range asked for in the query string, or the default with the reason."""
    since, until = params.get("since", "").strip(), params.get("until", "").strip()
    if since or until:
        try:
            first = parse_date(since) if since else None
            last = parse_date(until) if until else None
            return Choice(period_from_dates(first, last), "", first, last)
        except PeriodError as error:
            return _default(now, error.message)
    preset = params.get("range", DEFAULT_PRESET)
    if preset == "all":
        return Choice(Period(), "all")
    if not preset.strip():
        return _default(now, "")
    try:
        return Choice(Period(start=now - parse_span(preset), end=now), preset)
    except PeriodError as error:
        return _default(now, error.message)


def _duration_cells(stats: DurationStats) -> list[str]:
    def shown(value: timedelta | None) -> str:
        return "—" if value is None else format_duration(value)

    return [shown(stats.mean), shown(stats.median), str(stats.count)]


def _durations_table(report: Report) -> list[dict[str, Any]]:
    rows = (
        ("Time to resolve (MTTR: escalated → resolved)", "time_to_resolve"),
        ("Time to escalate (opened → escalated)", "time_to_escalate"),
        ("Time to close (opened → closed)", "time_to_close"),
    )
    return [
        {
            "label": label,
            "range": _duration_cells(getattr(report.durations, name)),
            "all_time": _duration_cells(getattr(report.durations_all_time, name)),
        }
        for label, name in rows
    ]


def _charts(weeks: list[Week]) -> list[dict[str, Any]]:
    labels = [f"{week.start:%b} {week.start.day}" for week in weeks]
    hours = [None if w.mttr_mean is None else w.mttr_mean.total_seconds() / 3600 for w in weeks]
    return [
        {
            "title": "Investigations and incidents per week",
            "legend": [("investigations opened", BLUE), ("incidents declared", RED)],
            "svg": bar_chart(
                name="weekly-volume", title="Investigations opened and incidents declared per week",
                labels=labels,
                series=[
                    Series("investigations opened", [w.opened for w in weeks], BLUE),
                    Series("incidents declared", [w.incidents_declared for w in weeks], RED),
                ],
            ),
        },
        {
            "title": "Escalation rate per week (share of that week's investigations escalated)",
            "svg": line_chart(
                name="escalation-rate", title="Escalation rate per week", labels=labels,
                series=[Series("escalation rate", [w.escalation_rate for w in weeks], RED)],
                y_label=lambda v: f"{v:.0%}", top=1.0,
            ),
        },
        {
            "title": "MTTR trend (mean time to resolve, incidents resolved that week)",
            "svg": line_chart(
                name="mttr-trend", title="Mean time to resolve per week", labels=labels,
                series=[Series("MTTR", hours, GREEN)],
                y_label=lambda v: format_duration(timedelta(hours=v)),
            ),
        },
    ]


def _export_url(period: Period) -> str:
    """The changelist export for investigations opened in `period`."""
    params = {}
    if period.start:
        params["opened_at__gte"] = period.start.isoformat()
    if period.end:
        params["opened_at__lt"] = period.end.isoformat()
    query = urlencode(params)
    return reverse("reporting:investigation_export") + (f"?{query}" if query else "")


def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Staff with view access to investigations see the figures and charts."""
    if not admin.site.get_model_admin(Investigation).has_view_permission(request):
        raise PermissionDenied
    now = datetime.now(tz=UTC)
    choice = choose_period(request.GET.dict(), now)
    report = metrics_report(period=choice.period, now=now, team_limit=TEAM_ROWS)
    weeks = weekly_series(period=choice.period, now=now)
    activity = report.activity
    context = {
        **admin.site.each_context(request),
        "title": "Metrics dashboard",
        "choice": choice,
        "presets": PRESETS,
        "report": report,
        "has_data": report.has_data,
        "all_time_note": all_time_note(report),
        "escalation_rate_label": ESCALATION_RATE_LABEL,
        "escalation_rate": format_rate(activity.escalation_rate),
        "investigation_time": format_duration(activity.investigation_time),
        "incident_time": format_duration(activity.incident_time),
        "durations": _durations_table(report),
        "team": [
            {
                "person": person,
                "mttr": "—" if person.mttr_mean is None else format_duration(person.mttr_mean),
            }
            for person in report.team
        ],
        "charts": _charts(weeks) if any(w.opened or w.incidents_declared or w.resolved for w in weeks) else [],
        "export_url": _export_url(choice.period),
    }
    return TemplateResponse(request, "reporting/dashboard.html", context)

