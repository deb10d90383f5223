"""Results as Markdown, written into docs/benchmarks.md between this tier's markers."""

from pathlib import Path
from typing import Any

DOC_HEAD = """# Benchmarks

Rerun everything with one command (PostgreSQL and Redis on 127.0.0.1, as for the tests):

    make bench                 # quick tier: minutes
    make bench TIER=full       # full tier: 1M investigations (about 15 minutes)

Each run rewrites its tier's section below; the rest of this page is prose.
"""


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def tier_section(tier: str, machine: dict[str, str], results: dict[str, Any]) -> str:
    lines = [f"### {tier.capitalize()} tier, {machine['date']}", ""]
    lines.append("Machine: " + "; ".join(f"{k} {v}" for k, v in machine.items() if k != "date"))
    lines.append("")
    if "ack" in results:
        ack = results["ack"]
        lines += [
            f"**1. Ack latency** (gunicorn.conf.py, {ack['workers']} workers × {ack['threads']} "
            f"threads, PostgreSQL, Redis cache; fake Slack answers every call after "
            f"{ack['slack_latency'] * 1000:.0f} ms; {ack['requests']} requests per row). "
            "Ratios are to the signed no-op view at the same concurrency.",
            "",
            "| target | conc. | p50 ms | p95 ms | p99 ms | req/s | errors | p99 / baseline | "
            "req/s / baseline |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in ack["results"]:
            lines.append(
                f"| {r['name']} | {r['concurrency']} | {_ms(r['p50'])} | {_ms(r['p95'])} | "
                f"{_ms(r['p99'])} | {r['throughput']:.0f} | {r['errors']} | "
                f"{r['p99_ratio']:.1f}× | {r['throughput_ratio']:.2f} |")
        lines.append("")
    if "opening" in results:
        lines += [
            "**2. Opening throughput** (channel created, topic, invite, announced, welcomed; "
            "real Celery workers on Redis; baseline: the same Slack calls made directly from as "
            "many threads as the workers have processes).",
            "",
            "| workers (processes) | opened | seconds | opened/s | bare calls/s | ratio |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in results["opening"]["results"]:
            lines.append(f"| {r['workers']} ({r['processes']}) | {r['opened']}/{r['of']} | "
                         f"{r['seconds']:.1f} | {r['per_s']:.2f} | {r['bare_per_s']:.2f} | "
                         f"{r['ratio']:.2f} |")
        lines.append("")
    if "stats" in results:
        lines += [
            "**3. Stats** (`metrics_report`, median of runs; all-time figures from the snapshot "
            "beat refreshes, 7-day figures live). Baselines: the same report computed entirely "
            "live (as before this change), and one indexed COUNT of the last 7 days (the floor).",
            "",
            "| investigations | 7 days ms (queries) | all time ms (queries) | live 7 days ms | "
            "live all time ms | snapshot refresh ms | floor ms | 7 days / live |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results["stats"]:
            lines.append(
                f"| {r['investigations']:,} | {_ms(r['report_7d']['ms'])} "
                f"({r['report_7d']['queries']}) | {_ms(r['report_all']['ms'])} "
                f"({r['report_all']['queries']}) | {_ms(r['live_7d']['ms'])} "
                f"({r['live_7d']['queries']}) | {_ms(r['live_all']['ms'])} | "
                f"{_ms(r['refresh']['ms'])} | {_ms(r['floor']['ms'])} | "
                f"{r['report_7d']['ms'] / r['live_7d']['ms']:.2f} |")
        lines.append("")
    if "export" in results:
        lines += [
            "**4. Export** (`manage.py export_cases -o FILE` as its own process; peak RSS from "
            "the kernel) against PostgreSQL's `COPY (the same join) TO STDOUT WITH CSV`.",
            "",
            "| investigations | seconds | rows/s | peak RSS MB | COPY seconds | COPY rows/s | "
            "ratio to COPY |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results["export"]:
            lines.append(f"| {r['rows']:,} | {r['seconds']:.1f} | {r['rows_per_s']:,.0f} | "
                         f"{r['peak_rss_mb']:.0f} | {r['copy_seconds']:.1f} | "
                         f"{r['copy_rows_per_s']:,.0f} | {r['ratio']:.2f} |")
        peaks = [r["peak_rss_mb"] for r in results["export"]]
        if len(peaks) > 1:
            lines.append(f"\nPeak memory, largest over smallest: {max(peaks) / min(peaks):.2f}×.")
        lines.append("")
    if "listing" in results:
        lines += [
            "**5. `/case list` and the evidence picker** (in-process, through the router and "
            "the picker's options function; median ms and queries).",
            "",
            "| open investigations | /case list ms (queries) | picker ms (queries) | "
            "picker search ms (queries) |",
            "|---|---:|---:|---:|",
        ]
        for r in results["listing"]:
            lines.append(
                f"| {r['open']:,} | {_ms(r['list']['ms'])} ({r['list']['queries']}) | "
                f"{_ms(r['picker']['ms'])} ({r['picker']['queries']}) | "
                f"{_ms(r['picker_search']['ms'])} ({r['picker_search']['queries']}) |")
        lines.append("")
    return "\n".join(lines)


def write(doc: Path, tier: str, section: str) -> None:
    start, end = f"<!-- bench:{tier}:start -->", f"<!-- bench:{tier}:end -->"
    text = doc.read_text() if doc.exists() else DOC_HEAD
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)
