"""GET /metrics: the /healthz figures in Prometheus' text exposition format.

Always 200, even with the database down: a failed scrape looks like Case being
unreachable, while `case_database_up 0` says exactly what is wrong.
"""

import math

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from case_project.health import health_snapshot

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Exposition:
    """Collects samples grouped by metric, each with its HELP and TYPE once."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(self, name: str, help_text: str, samples: list[tuple[dict, float | None]]) -> None:
        self.lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        for labels, value in samples:
            if value is None:  # no sample beats a made-up one
                continue
            label_text = ",".join(f'{key}="{_escape(str(v))}"' for key, v in labels.items())
            number = "NaN" if isinstance(value, float) and math.isnan(value) else f"{value:g}"
            self.lines.append(f"{name}{{{label_text}}} {number}" if label_text else f"{name} {number}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def render_metrics(snapshot: dict) -> str:
    """The snapshot of `health_snapshot()` as Prometheus text."""
    out = Exposition()
    out.metric("case_up", "1 when every part is healthy, 0 when any is degraded.",
               [({}, int(snapshot["ok"]))])
    parts = [name for name in snapshot if isinstance(snapshot[name], dict)]
    out.metric("case_part_ok", "1 per healthy part (database, broker, outbox, worker, …).",
               [({"part": name}, int(snapshot[name]["ok"])) for name in parts])
    out.metric("case_database_up", "1 while the database answers.",
               [({}, int(snapshot["database"]["ok"]))])
    outbox = snapshot.get("outbox", {})
    out.metric("case_outbox_pending", "Outbox messages not yet delivered.",
               [({}, outbox.get("pending"))])
    out.metric("case_outbox_oldest_pending_age_seconds",
               "Age of the oldest undelivered outbox message (0 when none).",
               [({}, outbox.get("oldest_pending_age_seconds"))])
    out.metric("case_outbox_failed", "Outbox messages that failed for good (kept until retried).",
               [({}, outbox.get("failed"))])
    out.metric("case_outbox_failed_recent",
               "Outbox messages that failed for good within OUTBOX_FAILED_ALERT_WINDOW.",
               [({}, outbox.get("failed_recent"))])
    out.metric("case_pagerduty_open_incidents_page_failed",
               "Open incidents whose PagerDuty page failed.",
               [({}, snapshot.get("pagerduty", {}).get("open_incidents_page_failed"))])
    out.metric("case_heartbeat_age_seconds",
               "Seconds since a Celery worker / beat was last seen (absent: never seen).",
               [({"component": name}, snapshot[name].get("age_seconds"))
                for name in ("worker", "beat")])
    slack = snapshot.get("slack", {})
    problems = slack.get("installation_problems")
    out.metric("case_slack_installation_problems", "Open Slack installation problems.",
               [({}, None if problems is None else len(problems))])
    return out.text()


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_metrics(health_snapshot()), content_type=CONTENT_TYPE)
