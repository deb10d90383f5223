"""The one CSV exporter: investigations streamed as rows, as they are read.

Rows are read and written a chunk at a time, so memory stays flat whatever
the number of investigations. The evidence count
and links are correlated subqueries, not a GROUP BY over the whole table, so
the first rows leave before the last are read.

Speed (bench/export.py, 1M rows): on PostgreSQL the database writes the
timestamps as ISO text and the durations as whole microseconds, because
building a Python datetime per timestamp (psycopg's loader for Django's
time zone is pure Python) cost more than everything else together; Python
only turns microseconds into hours, neutralises formulas and lets the C
`csv` writer write whole chunks. The rows arrive by `COPY … TO STDOUT`, a
stream with no round trip per chunk, as text psycopg splits in C. Other
databases return plain values through a cursor, formatted here the same way,
to the same bytes.

Columns: the original app's 16, in its order (existing spreadsheets keep
working), then Case's own. RFC 4180 (the `csv` module's default dialect:
CRLF, quotes doubled), UTF-8, times in ISO 8601 UTC with milliseconds,
titles raw. A cell a spreadsheet would run as a formula is neutralised.
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TextIO

from django.db import connections
from django.db.models import (
    Count,
    DateTimeField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from investigations.models import Evidence, Investigation
from reporting.expressions import JoinedText
from reporting.metrics import within
from reporting.periods import Period

ORIGINAL_COLUMNS = (
    "Investigation Name",
    "Title",
    "Status",
    "Channel ID",
    "Created By",
    "Created At",
    "Closed By",
    "Closed At",
    "Events Count",
    "Duration (hours)",
    "Escalated to Incident",
    "Incident Commander",
    "Escalated At",
    "Resolved By",
    "Resolved At",
    "Resolution Time (hours)",
)
CASE_COLUMNS = (
    "Public ID",
    "Workspace",
    "Channel URL",
    "Escalated By",
    "PagerDuty State",
    "Evidence Links",  # space-separated permalinks
    "Failure Reason",
)
HEADER = ORIGINAL_COLUMNS + CASE_COLUMNS
CHUNK_SIZE = 2000

# A leading = + - @ makes Excel, LibreOffice and Google Sheets evaluate the
# cell; tab and CR do in some of them. A leading apostrophe shows as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_STARTS)

def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe."""
    return "'" + cell if cell[:1] in _FORMULA_FIRST else cell


def export_queryset(
    *, period: Period | None = None, statuses: Sequence[str] = ()
) -> QuerySet[Investigation]:
    """Investigations opened in `period` (all time by default), newest first."""
    queryset = Investigation.objects.filter(within("opened_at", period or Period()))
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("-opened_at", "-id")


def export_filename(now: datetime) -> str:
    """`case-export-YYYY-MM-DDTHH-MM-SS.csv` in UTC, as the original named it."""
    return f"case-export-{now.astimezone(UTC):%Y-%m-%dT%H-%M-%S}.csv"


class IsoUtc(Func):
    """A timestamp as `2024-06-12T07:00:00.000Z` (UTC, milliseconds cut, not rounded), NULL as ''."""

    arity = 1
    output_field = TextField()
    template = (
        "COALESCE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), '')"
    )


class Microseconds(Func):
    """Whole microseconds from `start` to `end` (exact: no float on the way)."""

    arity = 2
    output_field = IntegerField()
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000000)::bigint"
    arg_joiner = " - "


class Cell(Func):
    """A text column as a CSV cell: NULL as '', a formula start neutralised (as `neutralise`)."""

    arity = 1
    output_field = TextField()
    template = (
        "CASE WHEN LEFT(%(expressions)s, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
        "THEN '''' || %(expressions)s ELSE COALESCE(%(expressions)s, '') END"
    )


class YesIfSet(Func):
    arity = 1
    output_field = TextField()
    template = "CASE WHEN %(expressions)s IS NULL THEN 'No' ELSE 'Yes' END"


def _in_sql(queryset: QuerySet) -> bool:
    """Whether the database writes the cells (PostgreSQL)."""
    return connections[queryset.db].vendor == "postgresql"


def _evidence_columns() -> dict[str, Any]:
    evidence = Evidence.objects.filter(investigation=OuterRef("pk")).order_by().values(
        "investigation"
    )
    return {
        "events_count": Coalesce(
            Subquery(evidence.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
        ),
        "evidence_links": Subquery(evidence.annotate(links=JoinedText("permalink")).values("links")),
    }


def _cells_queryset(queryset: QuerySet[Investigation], now: datetime) -> QuerySet:
    """PostgreSQL: each row's cells in CSV order, but the two durations in microseconds."""
    until_now = Coalesce("closed_at", Value(now, output_field=DateTimeField()))
    cells: dict[str, Any] = {
        "c_name": Cell("name"),
        "c_title": Cell("title"),
        "c_status": Cell("status"),
        "c_channel_id": Cell("channel_id"),
        "c_opened_by": Cell("opened_by"),
        "c_opened_at": IsoUtc("opened_at"),
        "c_closed_by": Cell("closed_by"),
        "c_closed_at": IsoUtc("closed_at"),
        "c_events": Cast("events_count", TextField()),
        "c_open_us": Microseconds(until_now, "opened_at"),
        "c_escalated": YesIfSet("incident__id"),
        "c_commander": Cell("incident__commander"),
        "c_escalated_at": IsoUtc("incident__escalated_at"),
        "c_resolved_by": Cell("incident__resolved_by"),
        "c_resolved_at": IsoUtc("incident__resolved_at"),
        "c_resolve_us": Microseconds("incident__resolved_at", "incident__escalated_at"),
        "c_public_id": Cast("public_id", TextField()),
        "c_team_id": Cell("team_id"),
        "c_channel_url": Cell("channel_url"),
        "c_escalated_by": Cell("incident__escalated_by"),
        "c_pagerduty_state": Cell("incident__pagerduty_state"),
        "c_links": Cell("evidence_links"),
        "c_failure_reason": Cell("failure_reason"),
    }
    return queryset.annotate(**_evidence_columns()).annotate(**cells).values_list(*cells)


def _values_queryset(queryset: QuerySet[Investigation]) -> QuerySet:
    """Other databases: plain values, formatted by `_row`."""
    return queryset.annotate(**_evidence_columns()).values_list(
        "name", "title", "status", "channel_id", "opened_by", "opened_at", "closed_by",
        "closed_at", "events_count", "incident__id", "incident__commander",
        "incident__escalated_at", "incident__resolved_by", "incident__resolved_at", "public_id",
        "team_id", "channel_url", "incident__escalated_by", "incident__pagerduty_state",
        "evidence_links", "failure_reason",
    )


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hours_between(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    return f"{(end - start).total_seconds() / 3600:.2f}"


def _hours(microseconds: str | None) -> str:
    # The same float operations as timedelta.total_seconds() / 3600 above.
    return "" if microseconds is None else f"{int(microseconds) / 1_000_000 / 3600:.2f}"


def _row(values: tuple, now: datetime) -> list[str]:
    (
        name, title, status, channel_id, opened_by, opened_at, closed_by, closed_at,
        events_count, incident_id, commander, escalated_at, resolved_by, resolved_at, public_id,
        team_id, channel_url, escalated_by, pagerduty_state, links, failure_reason,
    ) = values
    cells = [
        name,
        title,
        status,
        channel_id or "",
        opened_by,
        _iso(opened_at),
        closed_by,
        _iso(closed_at),
        str(events_count),
        _hours_between(opened_at, closed_at or now),
        "Yes" if incident_id is not None else "No",
        commander or "",
        _iso(escalated_at),
        resolved_by or "",
        _iso(resolved_at),
        _hours_between(escalated_at, resolved_at),
        str(public_id),
        team_id,
        channel_url,
        escalated_by or "",
        pagerduty_state or "",
        links or "",
        failure_reason,
    ]
    return [neutralise(cell) for cell in cells]


def _finished(cells: tuple) -> tuple:
    """A PostgreSQL row with its two durations turned into hours."""
    return (
        *cells[:9], neutralise(_hours(cells[9])), *cells[10:15], neutralise(_hours(cells[15])),
        *cells[16:],
    )


def _copied_chunks(query: QuerySet, chunk_size: int) -> Iterator[list[tuple]]:
    """PostgreSQL: the rows by COPY … TO STDOUT, as text psycopg splits in C.

    COPY streams without a round trip per chunk, so the database produces
    rows while Python writes the previous ones (on two cores, both at once).
    """
    sql, params = query.query.sql_with_params()
    with (
        connections[query.db].cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy,
    ):
        rows = copy.rows()
        while chunk := list(islice(rows, chunk_size)):
            yield [_finished(cells) for cells in chunk]


def export_row_chunks(
    queryset: QuerySet[Investigation], *, now: datetime | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[Sequence[str]]]:
    """Lists of at most `chunk_size` rows (sequences of cells), as they are read.

    Open investigations' durations run to `now` (fixed once per export).
    """
    now = now or datetime.now(tz=UTC)
    if _in_sql(queryset):
        yield from _copied_chunks(_cells_queryset(queryset, now), chunk_size)
        return
    values = _values_queryset(queryset).iterator(chunk_size=chunk_size)
    while chunk := list(islice(values, chunk_size)):
        yield [_row(row, now) for row in chunk]


def export_rows(
    queryset: QuerySet[Investigation], *, now: datetime | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[Sequence[str]]:
    """One list of cells per investigation, read `chunk_size` at a time."""
    for chunk in export_row_chunks(queryset, now=now, chunk_size=chunk_size):
        yield from chunk


class _Line:
    """A file-like object whose `write` hands the CSV line back (for streaming)."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The header line, then one RFC 4180 line per row, as strings."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(row)


def csv_write(
    output: TextIO,
    queryset: QuerySet[Investigation],
    *,
    now: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Write the CSV of `queryset` to `output`; return the number of rows.

    `on_row(count)` is called after each row (progress reporting).
    """
    writer = csv.writer(output)
    writer.writerow(HEADER)
    count = 0
    for chunk in export_row_chunks(queryset, now=now, chunk_size=chunk_size):
        writer.writerows(chunk)
        if on_row is not None:
            for written in range(count + 1, count + len(chunk) + 1):
                on_row(written)
        count += len(chunk)
    return count
