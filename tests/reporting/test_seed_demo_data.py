"""seed_demo_data: a two-year history whose states the services would accept."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Min, Q

from investigations import services
from investigations.models import AuditEvent, Evidence, Incident, Investigation
from reporting.metrics import metrics_report
from reporting.periods import Period

pytestmark = pytest.mark.django_db

N = 3000


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo_data", *args, "--force", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed("--investigations", str(N), "--seed", "7", "--batch-size", "700")


def test_reports_what_it_wrote(seeded):
    assert seeded.startswith(f"Seeded {N:,} investigations (")
    assert f"{Incident.objects.count():,} incidents" in seeded
    assert f"{Evidence.objects.count():,} evidence links" in seeded
    assert f"{AuditEvent.objects.count():,} audit events" in seeded


def test_history_is_two_years_mostly_closed_with_a_share_escalated(seeded):
    now = datetime.now(tz=UTC)
    investigations = Investigation.objects.all()
    assert investigations.count() == N
    first = investigations.aggregate(first=Min("opened_at"))["first"]
    assert now - timedelta(days=731) < first < now - timedelta(days=700)
    assert investigations.filter(opened_at__gt=now).count() == 0
    assert investigations.filter(status="closed").count() > 0.9 * N
    assert 0.15 * N < Incident.objects.count() < 0.35 * N
    assert investigations.filter(status="failed").exists()
    people = set(investigations.values_list("opened_by", flat=True).distinct())
    assert len(people) >= 8


def test_states_are_consistent(seeded):
    investigations = Investigation.objects.all()
    # closed ⇔ closed_at and closed_by.
    assert not investigations.filter(status="closed", closed_at__isnull=True).exists()
    assert not investigations.filter(status="closed", closed_by="").exists()
    assert not investigations.exclude(status="closed").filter(closed_at__isnull=False).exists()
    # escalated ⇒ an incident; an incident ⇒ escalated or closed.
    assert not investigations.filter(status="escalated", incident__isnull=True).exists()
    assert not Incident.objects.exclude(investigation__status__in=["escalated", "closed"]).exists()
    # Time runs forwards.
    incidents = Incident.objects.all()
    assert not incidents.filter(escalated_at__lt=F("investigation__opened_at")).exists()
    assert not incidents.filter(resolved_at__lt=F("escalated_at")).exists()
    assert not incidents.filter(resolved_at__isnull=False, resolved_by="").exists()
    assert not incidents.filter(investigation__closed_at__lt=F("resolved_at")).exists()
    # An active incident is never closed.
    assert not incidents.filter(resolved_at__isnull=True, investigation__status="closed").exists()
    assert not investigations.filter(closed_at__lt=F("opened_at")).exists()
    # Failed cases never had a channel, an incident or evidence.
    failed = investigations.filter(status="failed")
    assert not failed.filter(
        Q(channel_id__isnull=False) | Q(incident__isnull=False) | Q(evidence__isnull=False)
    ).exists()
    assert not Evidence.objects.filter(added_at__lt=F("investigation__opened_at")).exists()
    assert not Evidence.objects.filter(added_at__gt=F("investigation__closed_at")).exists()


def test_every_step_is_audited(seeded):
    def audited(action: str) -> int:
        return AuditEvent.objects.filter(action=action).count()

    assert audited("opened") == N
    assert audited("closed") == Investigation.objects.filter(status="closed").count()
    assert audited("escalated") == Incident.objects.count()
    assert audited("resolved") == Incident.objects.filter(resolved_at__isnull=False).count()
    assert audited("evidence_added") == Evidence.objects.count()
    assert audited("failed") == Investigation.objects.filter(status="failed").count()
    assert audited("transferred") > 0
    per_case = Investigation.objects.annotate(n=Count("audit_events")).filter(n=0)
    assert not per_case.exists()


def test_services_keep_working_after_seeding(seeded):
    investigation = services.investigation_open(title="Real one", opened_by="U1")
    assert investigation.pk > N  # the id sequence moved past the seeded ids
    report = metrics_report(period=Period())
    assert report.activity.opened == N - Investigation.objects.filter(status="failed").count()
    assert report.durations_all_time.time_to_resolve.median is not None


def test_seeding_twice_appends():
    seed("--investigations", "50", "--seed", "1")
    seed("--investigations", "50", "--seed", "1")
    assert Investigation.objects.count() == 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--investigations", "0"], "--investigations must be at least 1"),
        (["--investigations", "5", "--days", "0"], "--days and --batch-size must be at least 1"),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off, so this may be a real database"):
        call_command("seed_demo_data", "--investigations", "1", stdout=io.StringIO())
    assert not Investigation.objects.exists()
