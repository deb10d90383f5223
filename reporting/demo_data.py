"""A realistic, fast demo history: investigations over two years, in bulk.

This module deliberately bypasses `investigations.services`: one locked,
audited transaction per action would take hours for a million cases. It
writes the rows the services would have written, with the same invariants:
closed ⇒ closed_at; escalated ⇒ an incident; resolved_at ≥ escalated_at ≥
opened_at; failed ⇒ no channel; an audit event for every step (audit rows
are only ever inserted, as `AuditEvent` requires). PostgreSQL gets COPY,
other databases `bulk_create` in batches.
"""

import json
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from investigations.models import AuditEvent, Evidence, Incident, Investigation
from investigations.naming import slug_from_title

TEAM_ID = "T0DEMO"
PEOPLE = tuple(f"U0DEMO{n:03d}" for n in range(1, 13))
PEOPLE_WEIGHTS = tuple(1 / n for n in range(1, 13))  # a few people do most of the work
SOURCE_CHANNELS = ("C0DEMOALERTS", "C0DEMOSUPPORT", "C0DEMODEPLOYS", "C0DEMOGENERAL")
TITLES = (
    "API latency high", "Checkout errors spiking", "Login failures in EU", "Disk full on db-3",
    "Payment webhook timeouts", "Search results stale", "Mobile app crash on start",
    "Elevated 5xx on edge", "Queue backlog growing", "Certificate expiring soon",
    "DNS resolution failures", "Memory leak in worker", "Slow admin pages",
    "Email delivery delayed", "Kafka consumer lag", "Cache hit rate dropped",
    "Customer reports missing orders", "CPU saturation on api-7", "Deploy rollback needed",
    "Third-party auth outage", "Image uploads failing", "Billing job did not run",
    "Replica lag on analytics", "Rate limiter misfiring", "Feature flag stuck on",
)
FAILED_SHARE = 0.004
AUDIT_ACTOR = "case"

# Columns written for each table, by attribute name (ForeignKeys as *_id).
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Investigation: (
        "id", "public_id", "name", "title", "status", "channel_id", "channel_url", "team_id",
        "opened_by", "opened_at", "closed_by", "closed_at", "announcement_ts", "failure_reason",
    ),
    Incident: (
        "investigation_id", "commander", "escalated_by", "escalated_at", "resolved_by",
        "resolved_at", "pagerduty_state", "pagerduty_error",
    ),
    Evidence: (
        "investigation_id", "source_channel_id", "message_ts", "permalink", "added_by", "added_at",
    ),
    AuditEvent: ("investigation_id", "action", "actor", "at", "details"),
}


@dataclass
class Batch:
    rows: dict[type[models.Model], list[tuple]] = field(
        default_factory=lambda: {model: [] for model in COLUMNS}
    )

    def add(self, model: type[models.Model], *values: Any) -> None:
        self.rows[model].append(values)

    def count(self, model: type[models.Model]) -> int:
        return len(self.rows[model])


class HistoryGenerator:
    """Cases `first_id…first_id+total-1`, oldest first, `span` back from `now`."""

    def __init__(
        self, *, rng: random.Random, first_id: int, total: int, now: datetime, span: timedelta
    ) -> None:
        self.rng, self.first_id, self.total, self.now, self.span = rng, first_id, total, now, span
        self.slugs = [slug_from_title(title) for title in TITLES]

    def batches(self, size: int) -> Iterator[Batch]:
        for start in range(0, self.total, size):
            batch = Batch()
            for k in range(start, min(start + size, self.total)):
                self._case(batch, k)
            yield batch

    def _person(self) -> str:
        return self.rng.choices(PEOPLE, PEOPLE_WEIGHTS)[0]

    def _lognormal(self, median: timedelta, sigma: float) -> timedelta:
        return median * math.exp(self.rng.gauss(0, sigma))

    def _opened_at(self, k: int) -> tuple[datetime, float]:
        # Spread in id order, busier lately (the team and its systems grew).
        q = (k + self.rng.random()) / self.total
        share = (q + math.sqrt(q)) / 2
        return self.now - self.span * (1 - share), share

    def _case(self, batch: Batch, k: int) -> None:
        rng, pk = self.rng, self.first_id + k
        opened_at, share = self._opened_at(k)
        title = rng.randrange(len(TITLES))
        opener = self._person()
        batch.add(AuditEvent, pk, "opened", opener, opened_at, {"title": TITLES[title]})
        if rng.random() < FAILED_SHARE:
            batch.add(AuditEvent, pk, "failed", AUDIT_ACTOR, opened_at + timedelta(seconds=2),
                      {"reason": "name_taken"})
            batch.add(Investigation, pk, uuid.uuid4(), f"case-{self.slugs[title]}-{pk:x}",
                      TITLES[title], "failed", None, "", TEAM_ID, opener, opened_at, "", None,
                      "", "Slack refused the channel: name_taken")
            return
        channel_id = f"CDEMO{pk:07d}"
        ready_at = opened_at + timedelta(seconds=rng.uniform(1, 4))
        batch.add(AuditEvent, pk, "channel_created", AUDIT_ACTOR, ready_at,
                  {"channel_id": channel_id})
        batch.add(AuditEvent, pk, "activated", AUDIT_ACTOR, ready_at, {})
        escalated, work_ended_at = self._incident(batch, pk, opened_at, share)
        closed_at = None
        if work_ended_at is not None:  # an active incident is never closed
            idle = timedelta(hours=20) if escalated else timedelta(hours=5)
            closed_at = work_ended_at + self._lognormal(idle, 1.0)
            closed_at = None if closed_at > self.now else closed_at
        self._evidence(batch, pk, opened_at, closed_at or self.now)
        closer = ""
        if closed_at:
            closer = self._person()
            batch.add(AuditEvent, pk, "closed", closer, closed_at, {})
        status = "closed" if closed_at else "escalated" if escalated else "investigating"
        batch.add(Investigation, pk, uuid.uuid4(), f"case-{self.slugs[title]}-{pk:x}",
                  TITLES[title], status, channel_id,
                  f"https://app.slack.com/client/{TEAM_ID}/{channel_id}", TEAM_ID, opener,
                  opened_at, closer, closed_at, f"{opened_at.timestamp():.6f}", "")

    def _incident(
        self, batch: Batch, pk: int, opened_at: datetime, share: float
    ) -> tuple[bool, datetime | None]:
        """Maybe escalate: (escalated?, when the work ended, None while the incident is active)."""
        rng = self.rng
        days = (opened_at - (self.now - self.span)).days
        # The escalation rate drifts with the seasons (quarterly), 15–35 %.
        if rng.random() >= 0.25 + 0.10 * math.sin(2 * math.pi * days / 91):
            return False, opened_at
        escalated_at = opened_at + self._lognormal(timedelta(minutes=25), 0.9)
        if escalated_at > self.now:
            return False, opened_at
        commander = escalated_by = self._person()
        batch.add(AuditEvent, pk, "escalated", escalated_by, escalated_at,
                  {"commander": commander})
        # MTTR improves as the team learns: a 2.5 h median falling to 1.5 h.
        resolved_at = escalated_at + self._lognormal(timedelta(hours=2.5 - share), 0.8)
        new_commander = self._person()
        if rng.random() < 0.1 and new_commander != commander:
            batch.add(AuditEvent, pk, "transferred", commander,
                      escalated_at + (resolved_at - escalated_at) / 3,
                      {"old_commander": commander, "new_commander": new_commander})
            commander = new_commander
        active = resolved_at > self.now
        paged = rng.random() < 0.7
        pagerduty = ("triggered" if active else "resolved") if paged else "disabled"
        if active:
            batch.add(Incident, pk, commander, escalated_by, escalated_at, "", None, pagerduty, "")
            return True, None
        resolver = rng.choice((commander, commander, self._person()))
        batch.add(Incident, pk, commander, escalated_by, escalated_at, resolver, resolved_at,
                  pagerduty, "")
        batch.add(AuditEvent, pk, "resolved", resolver, resolved_at, {"commander": commander})
        return True, resolved_at

    def _evidence(self, batch: Batch, pk: int, opened_at: datetime, until: datetime) -> None:
        count = self.rng.choices((0, 1, 2, 3, 4, 6), (30, 25, 20, 12, 8, 5))[0]
        window = (until - opened_at).total_seconds()
        for i in range(count):
            added_at = opened_at + timedelta(seconds=self.rng.uniform(0, window))
            source = self.rng.choice(SOURCE_CHANNELS)
            ts = f"{int(added_at.timestamp()) - 60}.{i:06d}"
            permalink = f"https://demo.slack.com/archives/{source}/p{ts.replace('.', '')}"
            collector = self._person()
            batch.add(Evidence, pk, source, ts, permalink, collector, added_at)
            batch.add(AuditEvent, pk, "evidence_added", collector, added_at,
                      {"permalink": permalink})


def _copy(model: type[models.Model], rows: list[tuple]) -> None:
    """PostgreSQL COPY … FROM STDIN: the fastest way in, row by row."""
    columns = ", ".join(model._meta.get_field(name).column for name in COLUMNS[model])
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                # jsonb columns read JSON text; psycopg would not guess a dict's type.
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])


def _bulk_create(model: type[models.Model], rows: list[tuple]) -> None:
    names = COLUMNS[model]
    model.objects.bulk_create((model(**dict(zip(names, row, strict=True))) for row in rows),
                              batch_size=500)


def write_batch(batch: Batch) -> None:
    """Insert one batch, parents first, in one transaction."""
    write = _copy if connection.vendor == "postgresql" else _bulk_create
    with transaction.atomic():
        for model in COLUMNS:
            if batch.rows[model]:
                write(model, batch.rows[model])


def next_investigation_id() -> int:
    last = Investigation.objects.aggregate(last=models.Max("id"))["last"]
    return (last or 0) + 1


def reset_sequences() -> None:
    """Point the id sequence past the explicit ids (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Investigation])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
