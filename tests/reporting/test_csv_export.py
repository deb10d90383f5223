"""The CSV export: the original's 16 columns first, RFC 4180, no formulas."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from reporting.csv_export import (
    HEADER,
    ORIGINAL_COLUMNS,
    _row,
    _values_queryset,
    csv_write,
    export_filename,
    export_queryset,
    export_rows,
    neutralise,
)
from reporting.periods import Period
from tests.reporting.history import NOW, case, hours

pytestmark = pytest.mark.django_db


def export(queryset=None) -> tuple[str, list[dict[str, str]]]:
    output = io.StringIO(newline="")
    count = csv_write(output, export_queryset() if queryset is None else queryset, now=NOW)
    text = output.getvalue()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert count == len(rows)
    return text, rows


def test_header_starts_with_the_original_sixteen_columns_in_order():
    assert HEADER[:16] == (
        "Investigation Name", "Title", "Status", "Channel ID", "Created By", "Created At",
        "Closed By", "Closed At", "Events Count", "Duration (hours)", "Escalated to Incident",
        "Incident Commander", "Escalated At", "Resolved By", "Resolved At",
        "Resolution Time (hours)",
    )
    assert HEADER[:16] == ORIGINAL_COLUMNS
    assert HEADER[16:] == (
        "Public ID", "Workspace", "Channel URL", "Escalated By", "PagerDuty State",
        "Evidence Links", "Failure Reason",
    )


def test_empty_history_is_the_header_alone():
    text, rows = export()
    assert rows == []
    assert text == ",".join(HEADER) + "\r\n"


def test_a_resolved_incident_row():
    investigation = case(
        opened=hours(5), by="U_A", escalated=hours(4.5), commander="U_B", resolved=hours(3),
        resolved_by="U_C", closed=hours(1),
        evidence=(("U_D", hours(4)), ("U_D", hours(3.5))),
    )
    investigation.incident.escalated_by = "U_E"
    investigation.incident.pagerduty_state = "resolved"
    investigation.incident.save()
    _, [row] = export()
    assert row == {
        "Investigation Name": investigation.name,
        "Title": "API latency high",
        "Status": "closed",
        "Channel ID": investigation.channel_id,
        "Created By": "U_A",
        "Created At": "2024-06-12T07:00:00.000Z",
        "Closed By": "U_A",
        "Closed At": "2024-06-12T11:00:00.000Z",
        "Events Count": "2",
        "Duration (hours)": "4.00",
        "Escalated to Incident": "Yes",
        "Incident Commander": "U_B",
        "Escalated At": "2024-06-12T07:30:00.000Z",
        "Resolved By": "U_C",
        "Resolved At": "2024-06-12T09:00:00.000Z",
        "Resolution Time (hours)": "1.50",
        "Public ID": str(investigation.public_id),
        "Workspace": "T1",
        "Channel URL": "",
        "Escalated By": "U_E",
        "PagerDuty State": "resolved",
        "Evidence Links": " ".join(sorted(e.permalink for e in investigation.evidence.all())),
        "Failure Reason": "",
    }


def test_an_open_investigation_runs_to_now_and_has_no_incident():
    case(opened=timedelta(minutes=45))
    _, [row] = export()
    assert row["Duration (hours)"] == "0.75"
    assert row["Closed At"] == row["Closed By"] == ""
    assert row["Escalated to Incident"] == "No"
    assert row["Events Count"] == "0"
    assert row["Resolution Time (hours)"] == row["Evidence Links"] == ""


def test_titles_are_raw_and_quoted_per_rfc_4180():
    title = 'Checkout "EU", <prod> & \'staging\'\nsecond line'
    case(opened=hours(1), title=title)
    text, [row] = export()
    assert row["Title"] == title
    assert '"Checkout ""EU"", <prod> & \'staging\'\nsecond line"' in text
    assert "&quot;" not in text
    assert "&#39;" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(start):
    case(opened=hours(1), title=f"{start}HYPERLINK(\"http://evil\")", by=f"{start}cmd")
    _, [row] = export()
    assert row["Title"] == f"'{start}HYPERLINK(\"http://evil\")"
    assert row["Created By"] == f"'{start}cmd"


@pytest.mark.parametrize(
    ("cell", "expected"), [("=1+1", "'=1+1"), ("a=b", "a=b"), ("", ""), ("1.50", "1.50")]
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_rows_are_newest_first_and_filtered_by_opened_range_and_status():
    old = case(opened=timedelta(days=20), closed=timedelta(days=19))
    middle = case(opened=timedelta(days=10), escalated=timedelta(days=9))
    new = case(opened=hours(2))
    _, rows = export()
    assert [row["Investigation Name"] for row in rows] == [new.name, middle.name, old.name]
    period = Period(start=NOW - timedelta(days=15), end=NOW - timedelta(days=5))
    _, rows = export(export_queryset(period=period))
    assert [row["Investigation Name"] for row in rows] == [middle.name]
    _, rows = export(export_queryset(statuses=["closed", "investigating"]))
    assert [row["Investigation Name"] for row in rows] == [new.name, old.name]


def test_pending_and_failed_investigations_are_exported_with_their_status():
    case(opened=hours(1), status="failed")
    _, [row] = export()
    assert row["Status"] == "failed"
    assert row["Channel ID"] == ""


def test_each_row_is_reported_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    for i in range(5):
        case(opened=hours(i + 1))
    output = io.StringIO()
    seen = []
    with django_assert_max_num_queries(8):
        count = csv_write(output, export_queryset(), now=NOW, chunk_size=2, on_row=seen.append)
    assert count == 5
    assert seen == [1, 2, 3, 4, 5]


def test_filename_is_utc():
    moment = datetime(2024, 6, 12, 14, 5, 9, tzinfo=UTC)
    assert export_filename(moment) == "case-export-2024-06-12T14-05-09.csv"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the cells are written in SQL only on PostgreSQL")
def test_cells_written_by_postgresql_match_the_python_formatting():
    odd = timedelta(microseconds=999_999)
    case(opened=hours(5) + odd, by="-U_A", title="=SUM(A1)", escalated=hours(4.5) - odd,
         commander="@U_B", resolved=hours(3) + odd, resolved_by="+U_C", closed=hours(1),
         evidence=(("U_D", hours(4)), ("U_D", hours(3.5))))
    case(opened=hours(2), closed=hours(3), title="\tclosed before it opened")  # a negative duration
    case(opened=timedelta(seconds=54), title="\rexactly 0.015 hours")
    case(opened=hours(1), status="failed", title="@failed")
    reference = [_row(values, NOW) for values in _values_queryset(export_queryset())]
    assert [list(row) for row in export_rows(export_queryset(), now=NOW)] == reference
    hours_by_title = {row[1]: row[9] for row in reference}
    assert hours_by_title["'\tclosed before it opened"] == "'-1.00"
    assert hours_by_title["'\rexactly 0.015 hours"] == "0.01"  # as Python rounds 0.015
