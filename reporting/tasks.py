"""Celery task for reporting: refresh the all-time snapshot (`reporting.metrics`)."""

from celery import shared_task


@shared_task(name="reporting.refresh_all_time_snapshot")
def refresh_all_time_snapshot_task() -> str:
    """Recompute the all-time figures; safe to run twice (the last one wins)."""
    from reporting.metrics import all_time_snapshot_refresh

    report = all_time_snapshot_refresh()
    return f"all-time snapshot as of {report.now.isoformat()}"
