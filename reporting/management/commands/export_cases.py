"""`manage.py export_cases`: investigations as CSV, to stdout or a file."""

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from investigations.models import Investigation
from reporting.csv_export import csv_write, export_queryset
from reporting.periods import PeriodError, parse_date, period_from_dates
from reporting.progress import ProgressBar, Unended

STATUSES = tuple(Investigation.Status.values)


class Command(BaseCommand):
    help = (
        "Export investigations as CSV: the original app's 16 columns first, then Case's. "
        "Writes to stdout unless --output names a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", default="-", metavar="FILE",
            help="file to write (replaced only when the export succeeds); '-' is stdout",
        )
        parser.add_argument(
            "--since", metavar="DATE", help="only investigations opened on or after this UTC day"
        )
        parser.add_argument(
            "--until", metavar="DATE", help="only investigations opened on or before this UTC day"
        )
        parser.add_argument(
            "--status", action="append", default=[], metavar="STATUS",
            help=f"only these statuses (repeat or comma-separate): {', '.join(STATUSES)}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_from_dates(
                parse_date(options["since"]) if options["since"] else None,
                parse_date(options["until"]) if options["until"] else None,
            )
        except PeriodError as error:
            raise CommandError(error.message) from None
        queryset = export_queryset(period=period, statuses=_statuses(options["status"]))
        try:
            if options["output"] == "-":
                csv_write(Unended(self.stdout), queryset)
            else:
                count = self._write_file(Path(options["output"]), queryset)
                self.stdout.write(f"Wrote {count} investigation(s) to {options['output']}.")
        except DatabaseError as error:
            raise CommandError(f"The database failed during the export: {error}") from None
        except BrokenPipeError:
            _silence_stdout()
            raise CommandError("The output was closed before the export finished.") from None

    def _write_file(self, path: Path, queryset: Any) -> int:
        """Write to `path` through a temporary file, so a failure leaves no half file."""
        if path.is_dir():
            raise CommandError(f"Cannot write {path}: it is a directory.")
        partial = path.with_name(path.name + ".partial")
        try:
            handle = partial.open("w", encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        progress = None
        if self.stderr.isatty():
            progress = ProgressBar(Unended(self.stderr), total=queryset.count())
        try:
            with handle:
                count = csv_write(handle, queryset, on_row=progress.update if progress else None)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            if progress:
                progress.finish()
        return count


def _statuses(values: list[str]) -> list[str]:
    statuses = [item.strip() for value in values for item in value.split(",") if item.strip()]
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        raise CommandError(
            f"Unknown status {', '.join(repr(s) for s in unknown)}; choose from {', '.join(STATUSES)}."
        )
    return statuses


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so exit does not flush into it.

    The recipe from the `signal` module's documentation (SIGPIPE).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests): nothing to do
        pass
