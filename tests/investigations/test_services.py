"""Each service: the transition, the exact audit rows and the outbox rows."""

import pytest
from django.db import IntegrityError, transaction

from investigations import services
from investigations.exceptions import (
    EvidenceAlreadyCollected,
    InvalidTitle,
    NameExhausted,
    SameCommander,
    TransitionRefused,
)
from investigations.models import AuditEvent, Evidence, Incident, Investigation, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


def audit_trail(investigation: Investigation) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(investigation=investigation).values_list("action", "actor")
    )


def outbox_kinds(investigation: Investigation) -> list[str]:
    return list(
        OutboxMessage.objects.filter(investigation=investigation).values_list("kind", flat=True)
    )


def test_open_reserves_a_pending_investigation_and_records_the_channel_effect():
    investigation = services.investigation_open(
        title="DB &amp; cache".replace("&amp;", "&"), opened_by="U1", team_id="T1"
    )
    assert investigation.status == Investigation.Status.PENDING
    assert investigation.title == "DB & cache"
    assert investigation.name.startswith("case-db-cache-")
    assert audit_trail(investigation) == [("opened", "U1")]
    assert outbox_kinds(investigation) == ["slack.open_channel"]


def test_open_refuses_empty_and_long_titles_without_writing():
    with pytest.raises(InvalidTitle):
        services.investigation_open(title=" ", opened_by="U1")
    with pytest.raises(InvalidTitle):
        services.investigation_open(title="x" * 201, opened_by="U1")
    assert not Investigation.objects.exists()


def test_open_draws_another_suffix_when_the_name_is_taken(monkeypatch):
    first = services.investigation_open(title="API down", opened_by="U1")
    suffixes = iter([first.name.rsplit("-", 1)[1], first.name.rsplit("-", 1)[1], "abc"])
    monkeypatch.setattr("investigations.naming.random_suffix", lambda: next(suffixes))
    second = services.investigation_open(title="API down", opened_by="U1")
    assert second.name == "case-api-down-abc"


def test_rename_draws_a_new_name_for_a_pending_investigation():
    investigation = services.investigation_open(title="API down", opened_by="U1")
    old = investigation.name
    renamed = services.investigation_rename(investigation_id=investigation.pk)
    assert renamed.name != old
    assert renamed.name.startswith("case-api-down-")
    details = AuditEvent.objects.get(investigation=investigation, action="renamed").details
    assert details == {"old_name": old, "new_name": renamed.name}


def test_activation_needs_the_channel_and_is_idempotent():
    investigation = services.investigation_open(title="API down", opened_by="U1")
    with pytest.raises(TransitionRefused):
        services.investigation_activate(investigation_id=investigation.pk)
    services.investigation_set_channel(investigation_id=investigation.pk, channel_id="C123")
    services.investigation_set_channel(investigation_id=investigation.pk, channel_id="C123")
    services.investigation_activate(investigation_id=investigation.pk)
    services.investigation_activate(investigation_id=investigation.pk)
    assert audit_trail(investigation) == [
        ("opened", "U1"), ("channel_created", "case"), ("activated", "case"),
    ]


def test_fail_is_terminal():
    investigation = services.investigation_open(title="API down", opened_by="U1")
    services.investigation_fail(investigation_id=investigation.pk, reason="Slack said no")
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.FAILED
    assert investigation.failure_reason == "Slack said no"
    with pytest.raises(TransitionRefused, match="could not be opened"):
        services.investigation_escalate(investigation_id=investigation.pk, actor="U2")


def test_escalate_makes_the_invoker_commander(settings):
    settings.PAGERDUTY_ROUTING_KEY = "r" * 32
    investigation = factories.investigation_opened()
    incident = services.investigation_escalate(investigation_id=investigation.pk, actor="U2")
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.ESCALATED
    assert (incident.commander, incident.escalated_by) == ("U2", "U2")
    assert incident.pagerduty_state == Incident.PagerDutyState.PENDING
    assert audit_trail(investigation)[-1] == ("escalated", "U2")
    assert outbox_kinds(investigation)[-4:] == [
        "slack.escalation_notice",
        "slack.invite_response_group",
        "pagerduty.trigger",
        "slack.refresh_announcement",
    ]


def test_escalate_without_pagerduty_records_no_page(settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    investigation = factories.investigation_escalated()
    assert investigation.incident.pagerduty_state == Incident.PagerDutyState.DISABLED
    assert "pagerduty.trigger" not in outbox_kinds(investigation)


def test_escalate_twice_is_refused_and_changes_nothing():
    investigation = factories.investigation_escalated()
    before = (AuditEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(TransitionRefused, match="already an active incident"):
        services.investigation_escalate(investigation_id=investigation.pk, actor="U9")
    assert (AuditEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_resolve_keeps_the_investigation_open(settings):
    settings.PAGERDUTY_ROUTING_KEY = "r" * 32
    investigation = factories.investigation_escalated(actor="U2")
    incident = services.incident_resolve(investigation_id=investigation.pk, actor="U3")
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.ESCALATED
    assert incident.resolved_by == "U3"
    assert incident.resolved_at is not None
    assert "pagerduty.resolve" in outbox_kinds(investigation)
    with pytest.raises(TransitionRefused, match="already resolved"):
        services.incident_resolve(investigation_id=investigation.pk, actor="U3")


def test_transfer_keeps_history_in_the_audit_trail():
    investigation = factories.investigation_escalated(actor="U2")
    services.incident_transfer(investigation_id=investigation.pk, actor="U2", new_commander="U5")
    services.incident_transfer(investigation_id=investigation.pk, actor="U5", new_commander="U6")
    transfers = AuditEvent.objects.filter(investigation=investigation, action="transferred")
    assert [e.details for e in transfers] == [
        {"old_commander": "U2", "new_commander": "U5"},
        {"old_commander": "U5", "new_commander": "U6"},
    ]
    assert outbox_kinds(investigation).count("slack.transfer_notice") == 2
    with pytest.raises(SameCommander):
        services.incident_transfer(investigation_id=investigation.pk, actor="U2", new_commander="U6")


def test_transfer_is_refused_without_an_active_incident():
    with pytest.raises(TransitionRefused, match="no incident yet"):
        services.incident_transfer(
            investigation_id=factories.investigation_opened().pk, actor="U1", new_commander="U2"
        )
    with pytest.raises(TransitionRefused, match="already resolved"):
        services.incident_transfer(
            investigation_id=factories.investigation_resolved().pk, actor="U1", new_commander="U9"
        )


def test_close_is_refused_while_the_incident_is_active():
    investigation = factories.investigation_escalated()
    with pytest.raises(TransitionRefused, match="before closing"):
        services.investigation_close(investigation_id=investigation.pk, actor="U1")
    investigation.refresh_from_db()
    assert investigation.closed_at is None


def test_close_records_summary_before_archive():
    investigation = factories.investigation_resolved()
    services.investigation_close(investigation_id=investigation.pk, actor="U7")
    investigation.refresh_from_db()
    assert (investigation.status, investigation.closed_by) == ("closed", "U7")
    kinds = outbox_kinds(investigation)
    assert kinds.index("slack.closing_summary") < kinds.index("slack.archive_channel")
    with pytest.raises(TransitionRefused, match="already closed"):
        services.investigation_close(investigation_id=investigation.pk, actor="U7")


def test_nothing_reopens_a_closed_investigation():
    investigation = factories.investigation_closed()
    for call in (
        lambda: services.investigation_escalate(investigation_id=investigation.pk, actor="U1"),
        lambda: services.investigation_activate(investigation_id=investigation.pk),
    ):
        with pytest.raises(TransitionRefused):
            call()


def test_evidence_is_linked_once():
    investigation = factories.investigation_opened()
    link = {"source_channel_id": "C999", "message_ts": "1700000000.000100",
            "permalink": "https://example.slack.com/archives/C999/p1700000000000100"}
    evidence = services.evidence_add(investigation_id=investigation.pk, actor="U4", **link)
    assert evidence.added_by == "U4"
    with pytest.raises(EvidenceAlreadyCollected):
        services.evidence_add(investigation_id=investigation.pk, actor="U5", **link)
    assert investigation.evidence.count() == 1
    assert audit_trail(investigation)[-1] == ("evidence_added", "U4")


def test_evidence_is_refused_once_closed():
    investigation = factories.investigation_closed()
    with pytest.raises(TransitionRefused, match="evidence can no longer be added"):
        services.evidence_add(
            investigation_id=investigation.pk, actor="U4", source_channel_id="C1",
            message_ts="1.2", permalink="https://example.slack.com/archives/C1/p12",
        )


def test_audit_events_cannot_be_changed_or_deleted():
    investigation = factories.investigation_opened()
    event = AuditEvent.objects.filter(investigation=investigation).first()
    event.actor = "someone else"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(investigation=investigation).update(actor="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_services_run_inside_their_own_transaction_on_failure(monkeypatch):
    investigation = factories.investigation_opened()

    def broken_outbox(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("investigations.services.incidents.outbox_record", broken_outbox)
    with pytest.raises(RuntimeError):
        services.investigation_escalate(investigation_id=investigation.pk, actor="U2")
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert not Incident.objects.filter(investigation=investigation).exists()
    assert not AuditEvent.objects.filter(action="escalated").exists()


def test_the_database_itself_refuses_a_second_link_and_a_second_incident():
    """The constraints hold even for code that skips the services."""
    investigation = factories.investigation_escalated()
    link = {"investigation": investigation, "source_channel_id": "C1", "message_ts": "1.2",
            "permalink": "https://example.slack.com/archives/C1/p12", "added_by": "U1"}
    Evidence.objects.create(**link)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(**link)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(investigation=investigation, commander="U2", escalated_by="U2")
    channel_taken = {"name": "case-other-abc", "title": "x", "opened_by": "U1",
                     "channel_id": investigation.channel_id}
    with pytest.raises(IntegrityError), transaction.atomic():
        Investigation.objects.create(**channel_taken)
    with pytest.raises(IntegrityError), transaction.atomic():
        Investigation.objects.create(name=investigation.name, title="x", opened_by="U1")


def test_open_gives_up_after_a_bounded_number_of_draws_and_writes_nothing(monkeypatch):
    first = services.investigation_open(title="API down", opened_by="U1")
    taken = first.name.rsplit("-", 1)[1]
    draws: list[str] = []

    def same_suffix() -> str:
        draws.append(taken)
        return taken

    monkeypatch.setattr("investigations.naming.random_suffix", same_suffix)
    with pytest.raises(NameExhausted, match="add a word or two"):
        services.investigation_open(title="API down", opened_by="U2")
    assert len(draws) == 10
    assert Investigation.objects.count() == 1
    assert AuditEvent.objects.filter(actor="U2").count() == 0
