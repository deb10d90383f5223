"""The one CSV exporter: investigations streamed as rows, as they are read.

Rows come from `.values()` through `.iterator(chunk_size=…)` (a server-side
cursor on PostgreSQL), each written as soon as it is read, so memory stays
flat whatever the number of investigations. The evidence count and links
are correlated subqueries, not a GROUP BY over the whole table, so the
first rows leave before the last are read.

Columns: the original app's 16, in its order (existing spreadsheets keep
working), then Case's own. RFC 4180 (the `csv` module's default dialect:
CRLF, quotes doubled), UTF-8, times in ISO 8601 UTC with milliseconds,
titles raw. A cell a spreadsheet would run as a formula is neutralised.
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

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

_VALUES = (
    "name", "title", "status", "channel_id", "opened_by", "opened_at", "closed_by",
    "closed_at", "events_count", "incident__id", "incident__commander",
    "incident__escalated_at", "incident__resolved_by", "incident__resolved_at", "public_id",
    "team_id", "channel_url", "incident__escalated_by", "incident__pagerduty_state",
    "evidence_links", "failure_reason",
)


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


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


def _rows_queryset(queryset: QuerySet[Investigation]) -> QuerySet:
    evidence = Evidence.objects.filter(investigation=OuterRef("pk")).order_by().values(
        "investigation"
    )
    return queryset.annotate(
        events_count=Coalesce(
            Subquery(evidence.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
        ),
        evidence_links=Subquery(evidence.annotate(links=JoinedText("permalink")).values("links")),
    ).values(*_VALUES)


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hours(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    return f"{(end - start).total_seconds() / 3600:.2f}"


def _row(values: dict[str, Any], now: datetime) -> list[str]:
    escalated = values["incident__id"] is not None
    cells = [
        values["name"],
        values["title"],
        values["status"],
        values["channel_id"] or "",
        values["opened_by"],
        _iso(values["opened_at"]),
        values["closed_by"],
        _iso(values["closed_at"]),
        str(values["events_count"]),
        _hours(values["opened_at"], values["closed_at"] or now),
        "Yes" if escalated else "No",
        values["incident__commander"] or "",
        _iso(values["incident__escalated_at"]),
        values["incident__resolved_by"] or "",
        _iso(values["incident__resolved_at"]),
        _hours(values["incident__escalated_at"], values["incident__resolved_at"]),
        str(values["public_id"]),
        values["team_id"],
        values["channel_url"],
        values["incident__escalated_by"] or "",
        values["incident__pagerduty_state"] or "",
        values["evidence_links"] or "",
        values["failure_reason"],
    ]
    return [neutralise(cell) for cell in cells]


def export_rows(
    queryset: QuerySet[Investigation], *, now: datetime | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """One list of cells per investigation, read `chunk_size` at a time.

    Open investigations' durations run to `now` (fixed once per export).
    """
    now = now or datetime.now(tz=UTC)
    for values in _rows_queryset(queryset).iterator(chunk_size=chunk_size):
        yield _row(values, now)


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
    count = -1  # the header is not a row
    for line in csv_lines(export_rows(queryset, now=now, chunk_size=chunk_size)):
        output.write(line)
        count += 1
        if on_row is not None and count:
            on_row(count)
    return count
