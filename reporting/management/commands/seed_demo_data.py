"""`manage.py seed_demo_data --investigations N`: a realistic demo history, fast."""

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from investigations.models import AuditEvent, Evidence, Incident, Investigation
from reporting.demo_data import (
    HistoryGenerator,
    next_investigation_id,
    reset_sequences,
    write_batch,
)
from reporting.progress import ProgressBar, Unended

BATCH_SIZE = 10_000


class Command(BaseCommand):
    help = (
        "Add N made-up investigations over the last two years (most closed, some escalated, "
        "evidence and audit events, a dozen people) for demos and benchmarks. Writes rows "
        "in bulk (COPY on PostgreSQL), bypassing the services for speed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--investigations", type=int, required=True, metavar="N")
        parser.add_argument("--days", type=int, default=730, help="how far back (default 730)")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable history")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--force", action="store_true",
            help="run even with DEBUG off (the rows are fake: never on a real team's database)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total, days, size = options["investigations"], options["days"], options["batch_size"]
        if total < 1:
            raise CommandError("--investigations must be at least 1.")
        if days < 1 or size < 1:
            raise CommandError("--days and --batch-size must be at least 1.")
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a real database; seed_demo_data writes made-up "
                "investigations. Pass --force if this database is meant for demo data."
            )
        generator = HistoryGenerator(
            rng=random.Random(options["seed"]),  # noqa: S311  (made-up data, not secrets)
            first_id=next_investigation_id(),
            total=total,
            now=datetime.now(tz=UTC),
            span=timedelta(days=days),
        )
        progress = None
        if self.stderr.isatty():
            progress = ProgressBar(Unended(self.stderr), total=total, label="Seeding")
        started = time.monotonic()
        added = dict.fromkeys((Investigation, Incident, Evidence, AuditEvent), 0)
        try:
            for batch in generator.batches(size):
                write_batch(batch)
                for model in added:
                    added[model] += batch.count(model)
                if progress:
                    progress.update(added[Investigation])
            reset_sequences()
        except DatabaseError as error:
            raise CommandError(f"The database refused the demo rows: {error}") from None
        finally:
            if progress:
                progress.finish()
        self.stdout.write(
            f"Seeded {total:,} investigations ({added[Incident]:,} incidents, "
            f"{added[Evidence]:,} evidence links, {added[AuditEvent]:,} audit events) "
            f"on {connection.vendor} in {time.monotonic() - started:.1f} s."
        )
