"""Measurements that run inside Django, one database per process: `python -m bench.probe …`.

Run by the benchmark driver with DATABASE_URL set; prints one JSON line.
"""

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import django


def _timed(call: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """Median and best wall time (ms) and the query count of `call`, run `repeat` times."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return {"ms": statistics.median(times), "best_ms": min(times), "queries": max(queries),
            "queries_min": min(queries)}


def stats(repeat: int) -> dict[str, Any]:
    from django.db import connection

    from investigations.models import Investigation
    from reporting.metrics import all_time_snapshot_refresh, metrics_report
    from reporting.models import AllTimeSnapshot
    from reporting.periods import Period

    result: dict[str, Any] = {"investigations": Investigation.objects.count()}
    AllTimeSnapshot.objects.all().delete()
    # Before: no snapshot, everything live (what every report did before).
    result["live_7d"] = _timed(lambda: metrics_report(), max(1, repeat // 2))
    result["live_all"] = _timed(lambda: metrics_report(period=Period()), max(1, repeat // 2))
    result["refresh"] = _timed(lambda: all_time_snapshot_refresh(), 1)
    result["report_7d"] = _timed(lambda: metrics_report(), repeat)
    result["report_all"] = _timed(lambda: metrics_report(period=Period()), repeat)
    report = metrics_report()
    result["all_time_as_of"] = report.all_time_as_of.isoformat() if report.all_time_as_of else None
    # The floor: one indexed count of the last 7 days' openings.
    since = datetime.now(tz=UTC) - timedelta(days=7)

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM investigations_investigation WHERE opened_at >= %s",
                           [since])
            cursor.fetchone()

    result["floor"] = _timed(floor, repeat)
    return result


def seed_open(count: int) -> dict[str, Any]:
    """Make `count` open investigations with channels (and some evidence), in bulk."""
    from investigations.models import Evidence, Investigation

    have = Investigation.objects.filter(status__in=("investigating", "escalated")).count()
    now = datetime.now(tz=UTC)
    made = []
    for n in range(have, count):
        made.append(Investigation(
            name=f"case-bench-open-{n:06d}", title=f"Bench open investigation {n} latency",
            status="investigating", channel_id=f"CBENCH{n:07d}", team_id="T0CASE0001",
            channel_url=f"https://app.slack.com/client/T0CASE0001/CBENCH{n:07d}",
            opened_by="U0ALICE001", opened_at=now - timedelta(minutes=count - n),
            announcement_ts=f"{now.timestamp():.6f}",
        ))
    Investigation.objects.bulk_create(made, batch_size=2000)
    evidence = [
        Evidence(investigation=investigation, source_channel_id="C0GENERAL1",
                 message_ts=f"1700000000.{k:06d}", added_by="U0BOB00001",
                 permalink=f"https://case-test.slack.com/archives/C0GENERAL1/p1700000000{k:06d}")
        for investigation in Investigation.objects.filter(name__startswith="case-bench-open-")
        .exclude(evidence__isnull=False)[: len(made)]
        for k in range(investigation.pk % 3)
    ]
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    return {"open": Investigation.objects.filter(status__in=("investigating", "escalated")).count()}


def listing(repeat: int) -> dict[str, Any]:
    from investigations.models import Investigation
    from slack_integration.commands import router
    from slack_integration.listeners.evidence import open_investigations_matching
    from slack_integration.payloads import SlashCommand

    command = SlashCommand(
        command="/case", text="list", user_id="U0ALICE001", team_id="T0CASE0001",
        channel_id="C0GENERAL1", response_url="http://127.0.0.1:9/response/x", trigger_id="1.2.3",
    )
    result: dict[str, Any] = {"open": Investigation.objects.filter(
        status__in=("investigating", "escalated")).count()}
    result["list"] = _timed(lambda: router.acknowledge(command), repeat)
    result["picker"] = _timed(lambda: open_investigations_matching(""), repeat)
    result["picker_search"] = _timed(lambda: open_investigations_matching("latency"), repeat)
    return result


def open_many(count: int, prefix: str) -> dict[str, Any]:
    """Open `count` investigations through the service (each publishes its channel effect)."""
    from investigations.services import investigation_open

    started = time.perf_counter()
    for n in range(count):
        investigation_open(title=f"{prefix} {n}", opened_by="U0ALICE001", team_id="T0CASE0001")
    return {"opened": count, "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("command", choices=("stats", "seed-open", "listing", "open"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--prefix", default="Bench opening")
    args = parser.parse_args()
    django.setup()
    if args.command == "stats":
        result = stats(args.repeat)
    elif args.command == "seed-open":
        result = seed_open(args.count)
    elif args.command == "listing":
        result = listing(args.repeat)
    else:
        result = open_many(args.count, args.prefix)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
