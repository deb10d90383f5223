"""Case at scale: stats, export and the open-investigation lists, on seeded databases.

Each size has its own database (`case_bench_10k`, `case_bench_100k`,
`case_bench_1m`), filled once by `seed_demo_data --seed 9` and kept between
runs unless `--drop` is given; `case_bench_open10k` holds 10,000 open
investigations for `/case list` and the evidence picker, `case_bench_open20`
twenty, the baseline.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ARTIFACTS,
    ROOT,
    database_create,
    database_drop,
    database_url,
    django_env,
    manage,
    probe,
    psql,
)

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

# The export's join, as PostgreSQL alone would write it: the physical limit.
COPY_SQL = """
COPY (
  SELECT i.name, i.title, i.status, i.channel_id, i.opened_by, i.opened_at, i.closed_by,
         i.closed_at, COALESCE(e.n, 0), inc.id, inc.commander, inc.escalated_at, inc.resolved_by,
         inc.resolved_at, i.public_id, i.team_id, i.channel_url, inc.escalated_by,
         inc.pagerduty_state, e.links, i.failure_reason
  FROM investigations_investigation i
  LEFT JOIN investigations_incident inc ON inc.investigation_id = i.id
  LEFT JOIN (SELECT investigation_id, COUNT(*) AS n,
                    STRING_AGG(permalink, ' ' ORDER BY permalink) AS links
             FROM investigations_evidence GROUP BY investigation_id) e ON e.investigation_id = i.id
  ORDER BY i.opened_at DESC, i.id DESC
) TO STDOUT WITH CSV
"""


def seeded(size: str) -> str:
    """The database of `size` investigations, seeded if missing or short."""
    name = f"case_bench_{size}"
    database_create(name)
    env = django_env(name)
    manage(env, "migrate", "--noinput", "-v", "0")
    have = psql(name, "SELECT COUNT(*) FROM investigations_investigation")[0][0]
    if have != SIZES[size]:
        if have:
            database_drop(name)
            return seeded(size)
        started = time.monotonic()
        print(f"  seeding {SIZES[size]:,} investigations into {name}…", flush=True)
        manage(env, "seed_demo_data", "--investigations", str(SIZES[size]), "--seed", "9",
               "--force")
        psql(name, "VACUUM ANALYZE")
        print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
    return name


def stats(size: str, repeat: int) -> dict[str, Any]:
    result = probe(django_env(seeded(size)), "stats", "--repeat", str(repeat))
    result["size"] = size
    print(f"  stats {size}: 7d {result['report_7d']['ms']:.0f} ms/{result['report_7d']['queries']}q, "
          f"all {result['report_all']['ms']:.0f} ms/{result['report_all']['queries']}q "
          f"(live: {result['live_7d']['ms']:.0f} / {result['live_all']['ms']:.0f} ms)", flush=True)
    return result


def export(size: str) -> dict[str, Any]:
    """`manage.py export_cases -o FILE` as a process (time, peak RSS) against COPY."""
    name = seeded(size)
    output = ARTIFACTS / f"export-{size}.csv"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "manage.py", "export_cases", "-o", str(output)],
                               cwd=ROOT, env=django_env(name), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"export_cases failed on {name} (status {status})")
    rows = SIZES[size]
    copy_seconds = _copy_seconds(name, ARTIFACTS / f"copy-{size}.csv")
    result = {
        "size": size, "rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024, "bytes": output.stat().st_size,
        "copy_seconds": copy_seconds, "copy_rows_per_s": rows / copy_seconds,
    }
    result["ratio"] = result["rows_per_s"] / result["copy_rows_per_s"]
    output.unlink()
    print(f"  export {size}: {seconds:.1f} s ({result['rows_per_s']:,.0f} rows/s, "
          f"peak {result['peak_rss_mb']:.0f} MB); COPY {copy_seconds:.1f} s; "
          f"ratio {result['ratio']:.2f}", flush=True)
    return result


def _copy_seconds(name: str, path: Path) -> float:
    import psycopg

    url = database_url(name).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as conn, conn.cursor() as cursor, path.open("wb") as out:
        started = time.perf_counter()
        with cursor.copy(COPY_SQL) as copy:
            for block in copy:
                out.write(block)
        seconds = time.perf_counter() - started
    path.unlink()
    return seconds


def listing(open_count: int, repeat: int) -> dict[str, Any]:
    name = f"case_bench_open{open_count // 1000}k" if open_count >= 1000 else f"case_bench_open{open_count}"
    database_create(name)
    env = django_env(name)
    manage(env, "migrate", "--noinput", "-v", "0")
    probe(env, "seed-open", "--count", str(open_count))
    result = probe(env, "listing", "--repeat", str(repeat))
    print(f"  lists with {result['open']:,} open: /case list {result['list']['ms']:.1f} ms/"
          f"{result['list']['queries']}q, picker {result['picker']['ms']:.1f} ms/"
          f"{result['picker']['queries']}q, search {result['picker_search']['ms']:.1f} ms", flush=True)
    return result


def drop_all() -> None:
    for size in SIZES:
        database_drop(f"case_bench_{size}")
    for name in ("case_bench_open10k", "case_bench_open20", "case_bench_ack", "case_bench_opening"):
        database_drop(name)
