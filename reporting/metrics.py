"""The numbers Case reports (Slack, admin, export): computed by the database.

Every figure is an aggregate query; nothing loads investigations into Python
to count or average them. `metrics_report` runs a fixed number of queries
whatever the size of the history: two aggregates for the figures, four
GROUP BY queries for the team (one row per person), and on SQLite, which has
no `percentile_cont`, one more query per median that reads only the middle
one or two rows (see `_sqlite_medians`). `weekly_series` adds three GROUP BY
queries (one row per week).

Pending and failed investigations never had a working channel; they are
left out of every count.

Durations are bucketed by when they *ended* in a range: time to resolve by
`resolved_at`, time to close by `closed_at`, time to escalate by
`escalated_at`.

All-time figures at scale: aggregating the whole history took 2.3 s at a
million investigations (full scans, and sorting every duration for the
medians), so a beat task (`reporting.tasks`) stores the all-time report in
`AllTimeSnapshot` every REPORTING_SNAPSHOT_INTERVAL seconds. A report uses
it, and says so (`Report.all_time_as_of`), when it is at most
REPORTING_SNAPSHOT_MAX_AGE old; otherwise the all-time figures are computed
live, as they were. The figures for the report's range and the current
counts are always live: with a snapshot their queries read only the rows
opened, closed, escalated or resolved in the range, and the open ones,
through indexes. Either way the number of queries is fixed: one snapshot
lookup, then two aggregates and four team queries, or, for an all-time
report answered by the snapshot, one query for the current counts.
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, DateTimeField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek

from investigations.models import Evidence, Incident, Investigation
from reporting.expressions import Median, Seconds, median_in_sql
from reporting.models import AllTimeSnapshot
from reporting.periods import Period

ESCALATION_RATE_LABEL = "Escalation rate (share of investigations opened in the range that were escalated)"

_NOT_COUNTED = (Investigation.Status.PENDING, Investigation.Status.FAILED)
COUNTED = ~Q(status__in=_NOT_COUNTED)
_OPEN = (Investigation.Status.INVESTIGATING, Investigation.Status.ESCALATED)
SNAPSHOT_NAME = "all_time"


# -- results -----------------------------------------------------------------


@dataclass(frozen=True)
class CurrentCounts:
    investigating: int
    incidents_active: int
    incidents_resolved_not_closed: int  # awaiting the post-mortem and close


@dataclass(frozen=True)
class DurationStats:
    count: int
    mean: timedelta | None
    median: timedelta | None


@dataclass(frozen=True)
class Durations:
    time_to_resolve: DurationStats  # MTTR: escalated → resolved
    time_to_escalate: DurationStats  # opened → escalated
    time_to_close: DurationStats  # opened → closed


@dataclass(frozen=True)
class Activity:
    opened: int
    incidents_declared: int
    escalated_of_opened: int
    closed: int
    investigation_time: timedelta  # Σ (closed, or now) − opened, over opened in range
    incident_time: timedelta  # Σ (resolved, or now) − escalated, over escalated in range

    @property
    def escalation_rate(self) -> float | None:
        """Share of investigations opened in the range that were escalated."""
        return self.escalated_of_opened / self.opened if self.opened else None


@dataclass(frozen=True)
class PersonStats:
    user_id: str
    opened: int = 0
    commanded: int = 0
    resolved: int = 0
    evidence: int = 0
    commanded_resolved: int = 0  # how many incidents the MTTR below averages
    mttr_mean: timedelta | None = None

    @property
    def activity(self) -> int:
        return self.opened + self.commanded + self.resolved + self.evidence


@dataclass(frozen=True)
class Report:
    now: datetime
    period: Period
    current: CurrentCounts
    activity: Activity
    durations: Durations
    durations_all_time: Durations
    team: list[PersonStats] = field(default_factory=list)
    # When the all-time figures come from the background snapshot, its time;
    # None when they were computed live for this report.
    all_time_as_of: datetime | None = None

    @property
    def has_data(self) -> bool:
        """Whether any investigation was ever counted."""
        return bool(
            self.current.investigating
            or self.current.incidents_active
            or self.current.incidents_resolved_not_closed
            or self.durations_all_time.time_to_close.count
            or self.activity.opened
        )


@dataclass(frozen=True)
class Week:
    start: datetime
    opened: int = 0
    escalated_of_opened: int = 0
    incidents_declared: int = 0
    resolved: int = 0
    mttr_mean: timedelta | None = None

    @property
    def escalation_rate(self) -> float | None:
        return self.escalated_of_opened / self.opened if self.opened else None


# -- query helpers -----------------------------------------------------------


def within(field_name: str, period: Period) -> Q:
    """`field` falls in the half-open `period` (an empty Q for all time)."""
    condition = Q()
    if period.start is not None:
        condition &= Q(**{f"{field_name}__gte": period.start})
    if period.end is not None:
        condition &= Q(**{f"{field_name}__lt": period.end})
    return condition


def _where(condition: Q) -> Q | None:
    return condition or None  # an empty Q as an aggregate filter means "all rows"


@dataclass(frozen=True)
class _Measure:
    """One duration: its expression, which rows have it, when it ended."""

    name: str
    seconds: Seconds
    done: Q
    ended: str


_TIME_TO_CLOSE = _Measure(
    "time_to_close", Seconds("closed_at", "opened_at"), Q(closed_at__isnull=False), "closed_at"
)
_TIME_TO_RESOLVE = _Measure(
    "time_to_resolve",
    Seconds("resolved_at", "escalated_at"),
    Q(resolved_at__isnull=False),
    "resolved_at",
)
_TIME_TO_ESCALATE = _Measure(
    "time_to_escalate",
    Seconds("escalated_at", "investigation__opened_at"),
    Q(),
    "escalated_at",
)


def _measure_aggregates(measure: _Measure, scopes: dict[str, Period]) -> dict[str, Any]:
    aggregates: dict[str, Any] = {}
    for scope, period in scopes.items():
        condition = _where(measure.done & within(measure.ended, period))
        key = f"{measure.name}__{scope}"
        aggregates[f"{key}__count"] = Count("pk", filter=condition)
        aggregates[f"{key}__mean"] = Avg(measure.seconds, filter=condition)
        if median_in_sql(connection):
            aggregates[f"{key}__median"] = Median(measure.seconds, filter=condition)
    return aggregates


def _sqlite_medians(
    queryset: QuerySet, measure: _Measure, scopes: dict[str, Period], row: dict[str, Any]
) -> None:
    """Fill in medians where SQL cannot: read only the middle row(s), sorted by the DB."""
    for scope, period in scopes.items():
        key = f"{measure.name}__{scope}"
        count = row[f"{key}__count"]
        if f"{key}__median" in row or not count:
            row.setdefault(f"{key}__median", None)
            continue
        middle = list(
            queryset.filter(measure.done & within(measure.ended, period))
            .annotate(seconds=measure.seconds)
            .order_by("seconds")
            .values_list("seconds", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
        row[f"{key}__median"] = sum(middle) / len(middle)


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


def _duration_stats(row: dict[str, Any], measure: _Measure, scope: str) -> DurationStats:
    key = f"{measure.name}__{scope}"
    return DurationStats(
        count=row[f"{key}__count"],
        mean=_seconds(row[f"{key}__mean"]),
        median=_seconds(row[f"{key}__median"]),
    )


def _durations(row: dict[str, Any], scope: str) -> Durations:
    return Durations(
        time_to_resolve=_duration_stats(row, _TIME_TO_RESOLVE, scope),
        time_to_escalate=_duration_stats(row, _TIME_TO_ESCALATE, scope),
        time_to_close=_duration_stats(row, _TIME_TO_CLOSE, scope),
    )


# -- the report --------------------------------------------------------------


def _investigation_figures(period: Period, now: datetime, scopes: dict[str, Period]) -> dict:
    """Current counts, range activity and time to close: one query.

    Without an all-time scope only the rows that can count are read: the open
    ones and those opened or closed in the range (indexes on each).
    """
    opened_in_range = within("opened_at", period)
    closed_in_range = Q(closed_at__isnull=False) & within("closed_at", period)
    open_until_now = Coalesce("closed_at", Value(now, output_field=DateTimeField()))
    escalated = Investigation.Status.ESCALATED
    queryset = Investigation.objects.filter(COUNTED)
    if "all" not in scopes and not period.is_all_time:
        queryset = queryset.filter(Q(status__in=_OPEN) | opened_in_range | closed_in_range)
    row = queryset.aggregate(
        investigating=Count("pk", filter=Q(status=Investigation.Status.INVESTIGATING)),
        incidents_active=Count(
            "pk", filter=Q(status=escalated, incident__resolved_at__isnull=True)
        ),
        incidents_resolved_not_closed=Count(
            "pk", filter=Q(status=escalated, incident__resolved_at__isnull=False)
        ),
        opened=Count("pk", filter=_where(opened_in_range)),
        escalated_of_opened=Count("pk", filter=opened_in_range & Q(incident__isnull=False)),
        closed=Count("pk", filter=closed_in_range),
        investigation_seconds=Sum(Seconds(open_until_now, "opened_at"), filter=_where(opened_in_range)),
        **_measure_aggregates(_TIME_TO_CLOSE, scopes),
    )
    _sqlite_medians(queryset, _TIME_TO_CLOSE, scopes, row)
    return row


def _incident_figures(period: Period, now: datetime, scopes: dict[str, Period]) -> dict:
    """Incidents declared, incident time, MTTR and time to escalate: one query."""
    escalated_in_range = _where(within("escalated_at", period))
    open_until_now = Coalesce("resolved_at", Value(now, output_field=DateTimeField()))
    # Only active or closed investigations can have an incident: no COUNTED join.
    queryset = Incident.objects.all()
    if "all" not in scopes and not period.is_all_time:
        resolved_in_range = Q(resolved_at__isnull=False) & within("resolved_at", period)
        queryset = queryset.filter(within("escalated_at", period) | resolved_in_range)
    row = queryset.aggregate(
        incidents_declared=Count("pk", filter=escalated_in_range),
        incident_seconds=Sum(Seconds(open_until_now, "escalated_at"), filter=escalated_in_range),
        **_measure_aggregates(_TIME_TO_RESOLVE, scopes),
        **_measure_aggregates(_TIME_TO_ESCALATE, scopes),
    )
    _sqlite_medians(queryset, _TIME_TO_RESOLVE, scopes, row)
    _sqlite_medians(queryset, _TIME_TO_ESCALATE, scopes, row)
    return row


def metrics_report(
    *, period: Period | None = None, now: datetime | None = None, team_limit: int | None = None
) -> Report:
    """Every figure for `period` (default: the rolling last 7 days) and all time.

    `team_limit` keeps the most active people only (all when None). All-time
    figures come from the background snapshot when it is fresh (see the
    module's docstring); `all_time_as_of` then says when they were computed.
    """
    now = now or datetime.now(tz=UTC)
    period = period or Period.last(now=now)
    snapshot = all_time_snapshot_get(now=now)
    if snapshot is None:
        return _live_report(period, now, team_limit, scopes={"range": period, "all": Period()})
    if period.is_all_time:
        return replace(
            snapshot,
            now=now,
            current=_current_counts(),
            team=snapshot.team if team_limit is None else snapshot.team[:team_limit],
        )
    report = _live_report(period, now, team_limit, scopes={"range": period})
    return replace(
        report,
        durations_all_time=snapshot.durations_all_time,
        all_time_as_of=snapshot.all_time_as_of,
    )


def _live_report(
    period: Period, now: datetime, team_limit: int | None, *, scopes: dict[str, Period]
) -> Report:
    """Every figure computed now; all-time durations only when `scopes` has "all"."""
    investigations = _investigation_figures(period, now, scopes)
    incidents = _incident_figures(period, now, scopes)
    row = {**investigations, **incidents}
    return Report(
        now=now,
        period=period,
        current=CurrentCounts(
            investigating=row["investigating"],
            incidents_active=row["incidents_active"],
            incidents_resolved_not_closed=row["incidents_resolved_not_closed"],
        ),
        activity=Activity(
            opened=row["opened"],
            incidents_declared=row["incidents_declared"],
            escalated_of_opened=row["escalated_of_opened"],
            closed=row["closed"],
            investigation_time=timedelta(seconds=row["investigation_seconds"] or 0),
            incident_time=timedelta(seconds=row["incident_seconds"] or 0),
        ),
        durations=_durations(row, "range"),
        durations_all_time=_durations(row, "all" if "all" in scopes else "range"),
        team=team_performance(period=period, limit=team_limit),
    )


def _current_counts() -> CurrentCounts:
    """What is open now: one query over the open investigations only."""
    escalated = Q(status=Investigation.Status.ESCALATED)
    row = Investigation.objects.filter(status__in=_OPEN).aggregate(
        investigating=Count("pk", filter=Q(status=Investigation.Status.INVESTIGATING)),
        incidents_active=Count("pk", filter=escalated & Q(incident__resolved_at__isnull=True)),
        incidents_resolved_not_closed=Count(
            "pk", filter=escalated & Q(incident__resolved_at__isnull=False)
        ),
    )
    return CurrentCounts(**row)


# -- the all-time snapshot ---------------------------------------------------


def all_time_note(report: Report) -> str:
    """What to show beside figures taken from the snapshot ("" when all are live)."""
    if report.all_time_as_of is None:
        return ""
    every = max(1, round(settings.REPORTING_SNAPSHOT_INTERVAL / 60))
    return (
        f"All-time figures as of {report.all_time_as_of.astimezone(UTC):%Y-%m-%d %H:%M} UTC "
        f"(recomputed every {every} min)"
    )


def all_time_snapshot_refresh(*, now: datetime | None = None) -> Report:
    """Compute the all-time report (a full scan: seconds at a million) and store it."""
    now = now or datetime.now(tz=UTC)
    all_time = Period()
    report = _live_report(all_time, now, None, scopes={"range": all_time, "all": all_time})
    AllTimeSnapshot.objects.update_or_create(
        name=SNAPSHOT_NAME,
        defaults={"computed_at": now, "figures": _figures_to_json(report)},
    )
    return replace(report, all_time_as_of=now)


def all_time_snapshot_get(*, now: datetime) -> Report | None:
    """The stored all-time report if computed at most REPORTING_SNAPSHOT_MAX_AGE before `now`."""
    oldest = now - timedelta(seconds=settings.REPORTING_SNAPSHOT_MAX_AGE)
    stored = AllTimeSnapshot.objects.filter(
        name=SNAPSHOT_NAME, computed_at__gte=oldest, computed_at__lte=now
    ).first()
    return None if stored is None else _figures_from_json(stored.figures, stored.computed_at)


def _figures_to_json(report: Report) -> dict[str, Any]:
    def seconds(value: timedelta | None) -> float | None:
        return None if value is None else value.total_seconds()

    def durations(value: Durations) -> dict[str, Any]:
        return {
            name: {"count": stats.count, "mean": seconds(stats.mean), "median": seconds(stats.median)}
            for name, stats in vars(value).items()
        }

    activity = report.activity
    return {
        "current": asdict(report.current),
        "activity": {
            "opened": activity.opened,
            "incidents_declared": activity.incidents_declared,
            "escalated_of_opened": activity.escalated_of_opened,
            "closed": activity.closed,
            "investigation_time": seconds(activity.investigation_time),
            "incident_time": seconds(activity.incident_time),
        },
        "durations": durations(report.durations_all_time),
        "team": [asdict(person) | {"mttr_mean": seconds(person.mttr_mean)} for person in report.team],
    }


def _figures_from_json(figures: dict[str, Any], computed_at: datetime) -> Report:
    durations = Durations(
        **{
            name: DurationStats(
                count=stats["count"], mean=_seconds(stats["mean"]), median=_seconds(stats["median"])
            )
            for name, stats in figures["durations"].items()
        }
    )
    activity = figures["activity"]
    return Report(
        now=computed_at,
        period=Period(),
        current=CurrentCounts(**figures["current"]),
        activity=Activity(
            **activity
            | {
                "investigation_time": timedelta(seconds=activity["investigation_time"]),
                "incident_time": timedelta(seconds=activity["incident_time"]),
            }
        ),
        durations=durations,
        durations_all_time=durations,
        team=[
            PersonStats(**person | {"mttr_mean": _seconds(person["mttr_mean"])})
            for person in figures["team"]
        ],
        all_time_as_of=computed_at,
    )


def team_performance(*, period: Period, limit: int | None = None) -> list[PersonStats]:
    """Per person: opened, commanded, resolved, evidence, MTTR of what they commanded.

    Four GROUP BY queries, one row per person each; the most active first.
    `commanded` counts incidents escalated in the range under their current
    commander; their MTTR averages those commanded incidents resolved in the range.
    """
    people: dict[str, dict[str, Any]] = {}

    def merge(rows: QuerySet, key: str) -> None:
        for row in rows:
            user_id = row.pop(key)
            if user_id:
                people.setdefault(user_id, {}).update(row)

    merge(
        Investigation.objects.filter(COUNTED & within("opened_at", period))
        .values("opened_by").annotate(opened=Count("pk")).order_by(),
        "opened_by",
    )
    escalated_in_range = within("escalated_at", period)
    resolved_in_range = Q(resolved_at__isnull=False) & within("resolved_at", period)
    merge(
        Incident.objects.filter(escalated_in_range | resolved_in_range)
        .values("commander")
        .annotate(
            commanded=Count("pk", filter=_where(escalated_in_range)),
            commanded_resolved=Count("pk", filter=resolved_in_range),
            mttr_seconds=Avg(_TIME_TO_RESOLVE.seconds, filter=resolved_in_range),
        )
        .order_by(),
        "commander",
    )
    merge(
        Incident.objects.filter(resolved_in_range)
        .values("resolved_by").annotate(resolved=Count("pk")).order_by(),
        "resolved_by",
    )
    merge(
        Evidence.objects.filter(within("added_at", period))
        .values("added_by").annotate(evidence=Count("pk")).order_by(),
        "added_by",
    )
    team = [
        PersonStats(
            user_id=user_id,
            opened=row.get("opened", 0),
            commanded=row.get("commanded", 0),
            resolved=row.get("resolved", 0),
            evidence=row.get("evidence", 0),
            commanded_resolved=row.get("commanded_resolved", 0),
            mttr_mean=_seconds(row.get("mttr_seconds")),
        )
        for user_id, row in people.items()
    ]
    team.sort(key=lambda person: (-person.activity, person.user_id))
    return team if limit is None else team[:limit]


def weekly_series(*, period: Period, now: datetime | None = None) -> list[Week]:
    """One `Week` (Monday 00:00 UTC) per week of `period`, empty weeks included.

    Opened and escalation rate by week opened; incidents by week escalated;
    MTTR by week resolved. Three GROUP BY queries, one row per week.
    """
    now = now or datetime.now(tz=UTC)
    weeks: dict[datetime, dict[str, Any]] = {}

    def merge(rows: QuerySet) -> None:
        for row in rows:
            weeks.setdefault(row.pop("week"), {}).update(row)

    merge(
        Investigation.objects.filter(COUNTED & within("opened_at", period))
        .annotate(week=TruncWeek("opened_at", tzinfo=UTC))
        .values("week")
        .annotate(
            opened=Count("pk"), escalated_of_opened=Count("pk", filter=Q(incident__isnull=False))
        )
        .order_by()
    )
    merge(
        Incident.objects.filter(within("escalated_at", period))
        .annotate(week=TruncWeek("escalated_at", tzinfo=UTC))
        .values("week").annotate(incidents_declared=Count("pk")).order_by()
    )
    resolved = Q(resolved_at__isnull=False) & within("resolved_at", period)
    merge(
        Incident.objects.filter(resolved)
        .annotate(week=TruncWeek("resolved_at", tzinfo=UTC))
        .values("week")
        .annotate(resolved=Count("pk"), mttr_seconds=Avg(_TIME_TO_RESOLVE.seconds))
        .order_by()
    )
    first = _week_start(period.start) if period.start else min(weeks, default=None)
    if first is None:
        return []
    last = _week_start(min(period.end or now, now))
    series = []
    week = first
    while week <= last:
        row = weeks.get(week, {})
        mttr = row.pop("mttr_seconds", None)
        series.append(Week(start=week, mttr_mean=_seconds(mttr), **row))
        week += timedelta(weeks=1)
    return series


def _week_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    monday = moment.date() - timedelta(days=moment.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
