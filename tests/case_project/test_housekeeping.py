"""Housekeeping: delivered outbox rows and dedup keys pruned after the retention period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from case_project import housekeeping
from case_project.housekeeping import housekeeping_run, retention_pruner
from case_project.tasks import housekeeping_task
from investigations.models import OutboxMessage
from investigations.outbox import outbox_deliver, outbox_record
from investigations.outbox_test_handlers import ECHO
from slack_integration.models import SlackDeliveryReceipt

pytestmark = pytest.mark.django_db


def delivered(key: str, *, days_ago: float) -> OutboxMessage:
    message = outbox_record(kind=ECHO, key=key)
    assert outbox_deliver(message.pk).status == "delivered"
    OutboxMessage.objects.filter(pk=message.pk).update(
        delivered_at=timezone.now() - timedelta(days=days_ago)
    )
    return message


def failed(key: str, *, days_ago: float) -> OutboxMessage:
    message = outbox_record(kind=ECHO, key=key, payload={"permanent": True})
    assert outbox_deliver(message.pk).status == "failed"
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago),
        failed_at=timezone.now() - timedelta(days=days_ago),
    )
    return message


def receipt(key: str, *, days_ago: float) -> SlackDeliveryReceipt:
    return SlackDeliveryReceipt.objects.create(
        key=key, kind="command", received_at=timezone.now() - timedelta(days=days_ago)
    )


def test_prunes_only_what_outlived_the_retention(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old, recent = delivered("old", days_ago=31), delivered("recent", days_ago=29)
    old_failure = failed("old-failure", days_ago=90)
    pending = outbox_record(kind=ECHO, key="pending")
    OutboxMessage.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    receipt("old-trigger", days_ago=31)
    receipt("new-trigger", days_ago=1)

    deleted = housekeeping_run()

    assert deleted == {"outbox_delivered": 1, "slack_integration.SlackDeliveryReceipt": 1}
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {
        recent.pk, old_failure.pk, pending.pk,
    }
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert list(SlackDeliveryReceipt.objects.values_list("key", flat=True)) == ["new-trigger"]


def test_running_twice_deletes_nothing_more():
    delivered("old", days_ago=400)
    assert housekeeping_run(retention_days=30)["outbox_delivered"] == 1
    assert housekeeping_run(retention_days=30)["outbox_delivered"] == 0


def test_deletes_in_batches():
    for n in range(5):
        delivered(f"old-{n}", days_ago=60)
    assert housekeeping.delete_in_batches(OutboxMessage.objects.all(), batch_size=2) == 5
    assert not OutboxMessage.objects.exists()


def test_registered_pruners_run_with_the_cutoff(monkeypatch):
    seen = []
    monkeypatch.setattr(housekeeping, "_PRUNERS", dict(housekeeping._PRUNERS))

    @retention_pruner("extra")
    def prune(cutoff):
        seen.append(cutoff)
        return 7

    deleted = housekeeping_run(retention_days=10)
    assert deleted["extra"] == 7
    (cutoff,) = seen
    assert abs((timezone.now() - timedelta(days=10) - cutoff).total_seconds()) < 5


def test_a_missing_dated_table_is_skipped(monkeypatch):
    monkeypatch.setattr(housekeeping, "DATED_TABLES", (("slack_integration.NoSuchModel", "at"),))
    assert "slack_integration.NoSuchModel" not in housekeeping_run()


def test_the_beat_task_runs_housekeeping(settings):
    settings.OUTBOX_RETENTION_DAYS = 1
    delivered("old", days_ago=2)
    assert housekeeping_task.delay().get()["outbox_delivered"] == 1


def test_beat_schedules_housekeeping_and_heartbeat():
    from case_project.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["housekeeping"]["task"] == "case_project.housekeeping"
    assert schedule["heartbeat"]["task"] == "case_project.heartbeat"
    assert {"case_project.housekeeping", "case_project.heartbeat"} <= set(app.tasks)
