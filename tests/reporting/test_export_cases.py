"""`manage.py export_cases`: output, filters, progress and clear errors."""

import csv
import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reporting.csv_export import HEADER
from tests.reporting.history import NOW, case, hours

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stderr: io.StringIO | None = None) -> str:
    stdout = io.StringIO()
    call_command("export_cases", *args, stdout=stdout, stderr=stderr or io.StringIO())
    return stdout.getvalue()


def names(text: str) -> list[str]:
    return [row["Investigation Name"] for row in csv.DictReader(io.StringIO(text, newline=""))]


def test_empty_history_writes_the_header_alone_to_stdout():
    assert run() == ",".join(HEADER) + "\r\n"


def test_stdout_by_default():
    investigation = case(opened=hours(1), title="Disk full")
    text = run()
    assert names(text) == [investigation.name]
    assert "Disk full" in text


def test_filters_by_opened_day_and_status():
    # history.NOW is 2024-06-12 12:00 UTC.
    june_1 = case(opened=NOW - NOW.replace(day=1, hour=10))
    june_10 = case(opened=NOW - NOW.replace(day=10, hour=23, minute=59), closed=timedelta(days=1))
    case(opened=NOW - NOW.replace(day=11, hour=0))
    assert names(run("--since", "2024-06-01", "--until", "2024-06-10")) == [june_10.name, june_1.name]
    assert names(run("--since", "2024-06-02", "--until", "2024-06-10")) == [june_10.name]
    assert names(run("--until", "2024-06-10", "--status", "closed")) == [june_10.name]
    assert names(run("--status", "closed,investigating", "--until", "2024-06-01")) == [june_1.name]


def test_output_file_is_written_whole_and_reported(tmp_path):
    case(opened=hours(2))
    case(opened=hours(1))
    target = tmp_path / "cases.csv"
    message = run("--output", str(target))
    assert message == f"Wrote 2 investigation(s) to {target}.\n"
    assert len(names(target.read_text(encoding="utf-8"))) == 2
    assert not (tmp_path / "cases.csv.partial").exists()


def test_progress_bar_only_on_a_terminal_when_writing_a_file(tmp_path):
    for i in range(3):
        case(opened=hours(i + 1))
    terminal = Terminal()
    run("--output", str(tmp_path / "a.csv"), stderr=terminal)
    assert "3/3 [" in terminal.getvalue()
    assert terminal.getvalue().endswith("100%\n")
    not_a_terminal = io.StringIO()
    run("--output", str(tmp_path / "b.csv"), stderr=not_a_terminal)
    assert not_a_terminal.getvalue() == ""
    terminal = Terminal()
    text = run(stderr=terminal)  # stdout: the bar would corrupt nothing but is still not drawn
    assert terminal.getvalue() == ""
    assert len(names(text)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "“yesterday” is not a date; write it as YYYY-MM-DD"),
        (["--until", "2024-13-01"], "“2024-13-01” is not a date"),
        (["--since", "2024-06-02", "--until", "2024-06-01"], "is before the start date"),
        (["--status", "open"], "Unknown status 'open'; choose from pending, investigating"),
    ],
)
def test_bad_arguments_are_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_unwritable_path_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot write .*missing/cases.csv: No such file"):
        run("--output", str(tmp_path / "missing" / "cases.csv"))
    with pytest.raises(CommandError, match=r"Cannot write .*: it is a directory"):
        run("--output", str(tmp_path))


def test_failure_exits_non_zero_with_a_message_and_no_trace(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_cases", "--since", "soon"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
             "DJANGO_SECRET_KEY": "x" * 50},
    )
    assert result.returncode == 1
    assert "CommandError: “soon” is not a date" in result.stderr
    assert "Traceback" not in result.stderr
