"""`python -m bench [--tier quick|full] [--only …]`: run the benchmarks, write docs/benchmarks.md."""

import argparse
import json
import sys
from typing import Any

from bench.common import ARTIFACTS, ROOT, Deadline, machine

PARTS = ("ack", "opening", "stats", "export", "listing")
TIERS: dict[str, dict[str, Any]] = {
    "quick": {"ack_requests": 200, "opening_count": 20, "stats_sizes": ("10k", "100k"),
              "export_sizes": ("10k", "100k"), "repeat": 5},
    "full": {"ack_requests": 600, "opening_count": 60, "stats_sizes": ("10k", "100k", "1m"),
             "export_sizes": ("100k", "1m"), "repeat": 7},
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--tier", choices=tuple(TIERS), default="quick",
                        help="quick: minutes, any developer; full: 1M investigations")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run (default all: {','.join(PARTS)})")
    parser.add_argument("--levels", default="1,8,32", help="ack concurrency levels")
    parser.add_argument("--slack-latency", type=float, default=0.2,
                        help="seconds the fake Slack takes per Web API call")
    parser.add_argument("--max-seconds", type=float, default=3600.0,
                        help="upper bound for the whole run's load loops")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--drop", action="store_true",
                        help="drop the benchmark databases afterwards (the 1M one is ~5 GB)")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    try:
        args.levels = [int(level) for level in args.levels.split(",")]
    except ValueError:
        parser.error("--levels takes comma-separated numbers, e.g. 1,8,32")
    if any(level < 1 for level in args.levels):
        parser.error("--levels must be at least 1")
    args.parts = parts
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench import ack_latency, opening, report, scale

    tier = TIERS[args.tier]
    deadline = Deadline(args.max_seconds)
    results: dict[str, Any] = {}
    print(f"bench: {args.tier} tier, parts {','.join(args.parts)}", flush=True)
    try:
        if "ack" in args.parts:
            results["ack"] = ack_latency.measure(
                requests=tier["ack_requests"], levels=args.levels,
                slack_latency=args.slack_latency, workers=2, threads=4,
                max_seconds=min(900.0, deadline.left()))
        if "opening" in args.parts:
            results["opening"] = opening.measure(
                count=tier["opening_count"], worker_counts=[1, 2],
                slack_latency=args.slack_latency, max_seconds=min(300.0, deadline.left()))
        if "stats" in args.parts:
            results["stats"] = [scale.stats(size, tier["repeat"]) for size in tier["stats_sizes"]]
        if "export" in args.parts:
            results["export"] = [scale.export(size) for size in tier["export_sizes"]]
        if "listing" in args.parts:
            results["listing"] = [scale.listing(count, tier["repeat"]) for count in (20, 10_000)]
    finally:
        if args.drop:
            scale.drop_all()
    facts = machine()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"results-{args.tier}.json").write_text(
        json.dumps({"machine": facts, "results": results}, indent=2))
    from pathlib import Path

    report.write(Path(args.output), args.tier, report.tier_section(args.tier, facts, results))
    print(f"bench: wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
