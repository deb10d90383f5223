"""Celery adapters for the project's periodic chores: heartbeat, housekeeping."""

from celery import shared_task

from case_project.heartbeat import HEARTBEAT_TASK


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat_task() -> None:
    """Stamp "worker": a worker took this beat-sent task off the queue."""
    from celery import current_task

    from case_project.heartbeat import heartbeat_record

    heartbeat_record("worker", host=getattr(current_task.request, "hostname", None))


@shared_task(name="case_project.housekeeping", ignore_result=True)
def housekeeping_task() -> dict[str, int]:
    """Delete what has outlived OUTBOX_RETENTION_DAYS; safe to run twice."""
    from case_project.housekeeping import housekeeping_run

    return housekeeping_run()


@shared_task(name="slack_integration.installation_check", ignore_result=True)
def slack_installation_check_task() -> int:
    """Ask Slack whether the installation still works; returns the failures found."""
    from slack_integration.installation_check import installation_check_periodic

    return sum(1 for finding in installation_check_periodic() if not finding.ok)
