"""Every phase against every action, through the real services.

A legal transition writes exactly its audit rows (action, actor, details) and
lands in the table's phase; an illegal one is refused with the table's
message and writes nothing; a repeated activation or failure is a no-op.
"""

from collections.abc import Callable

import pytest

from investigations import services
from investigations.exceptions import TransitionRefused
from investigations.models import AuditEvent, Evidence, Incident, Investigation, OutboxMessage
from investigations.state_machine import TRANSITIONS, Action, IllegalTransition, Phase, next_phase
from tests import factories

pytestmark = pytest.mark.django_db

ACTOR = "U0000000009"
COMMANDER = "U0000000002"
NEW_COMMANDER = "U0000000005"
PERMALINK = "https://example.slack.com/archives/C0000000077/p1700000000000500"


def _pending(*, fail: bool = False) -> Investigation:
    investigation = services.investigation_open(title="API down", opened_by="U0000000001")
    services.investigation_set_channel(
        investigation_id=investigation.pk, channel_id=factories.next_channel_id()
    )
    if fail:
        services.investigation_fail(investigation_id=investigation.pk, reason="Slack said no")
    return investigation


IN_PHASE: dict[Phase, Callable[[], Investigation]] = {
    Phase.PENDING: _pending,
    Phase.INVESTIGATING: factories.investigation_opened,
    Phase.INCIDENT_ACTIVE: lambda: factories.investigation_escalated(actor=COMMANDER),
    Phase.INCIDENT_RESOLVED: lambda: factories.investigation_resolved(actor=COMMANDER),
    Phase.CLOSED: factories.investigation_closed,
    Phase.FAILED: lambda: _pending(fail=True),
}

DO: dict[Action, Callable[[int], object]] = {
    Action.ACTIVATE: lambda pk: services.investigation_activate(investigation_id=pk, actor=ACTOR),
    Action.FAIL: lambda pk: services.investigation_fail(
        investigation_id=pk, reason="gave up", actor=ACTOR
    ),
    Action.ESCALATE: lambda pk: services.investigation_escalate(investigation_id=pk, actor=ACTOR),
    Action.RESOLVE: lambda pk: services.incident_resolve(investigation_id=pk, actor=ACTOR),
    Action.TRANSFER: lambda pk: services.incident_transfer(
        investigation_id=pk, actor=ACTOR, new_commander=NEW_COMMANDER
    ),
    Action.CLOSE: lambda pk: services.investigation_close(investigation_id=pk, actor=ACTOR),
    Action.ADD_EVIDENCE: lambda pk: services.evidence_add(
        investigation_id=pk, actor=ACTOR, source_channel_id="C0000000077",
        message_ts="1700000000.000500", permalink=PERMALINK,
    ),
}


def _evidence_added() -> list[tuple[str, str, dict]]:
    evidence = Evidence.objects.get(permalink=PERMALINK)
    return [("evidence_added", ACTOR, {"evidence_id": evidence.pk, "permalink": PERMALINK})]


# The audit rows each legal transition writes, exactly.
AUDIT_ROWS: dict[tuple[Phase, Action], Callable[[], list[tuple[str, str, dict]]]] = {
    (Phase.PENDING, Action.ACTIVATE): lambda: [("activated", ACTOR, {})],
    (Phase.PENDING, Action.FAIL): lambda: [("failed", ACTOR, {"reason": "gave up"})],
    (Phase.INVESTIGATING, Action.ESCALATE): lambda: [("escalated", ACTOR, {"commander": ACTOR})],
    (Phase.INVESTIGATING, Action.CLOSE): lambda: [("closed", ACTOR, {})],
    (Phase.INVESTIGATING, Action.ADD_EVIDENCE): _evidence_added,
    (Phase.INCIDENT_ACTIVE, Action.RESOLVE): lambda: [
        ("resolved", ACTOR, {"commander": COMMANDER})
    ],
    (Phase.INCIDENT_ACTIVE, Action.TRANSFER): lambda: [
        ("transferred", ACTOR, {"old_commander": COMMANDER, "new_commander": NEW_COMMANDER})
    ],
    (Phase.INCIDENT_ACTIVE, Action.ADD_EVIDENCE): _evidence_added,
    (Phase.INCIDENT_RESOLVED, Action.CLOSE): lambda: [("closed", ACTOR, {})],
    (Phase.INCIDENT_RESOLVED, Action.ADD_EVIDENCE): _evidence_added,
}

# Repeats the services absorb: the outbox may deliver the same effect twice.
IDEMPOTENT = {(Phase.INVESTIGATING, Action.ACTIVATE), (Phase.FAILED, Action.FAIL)}


def _snapshot(investigation: Investigation) -> tuple:
    row = Investigation.objects.values_list("status", "closed_at", "closed_by", "name").get(
        pk=investigation.pk
    )
    counts = tuple(model.objects.count() for model in (AuditEvent, OutboxMessage, Incident,
                                                        Evidence))
    commanders = tuple(Incident.objects.values_list("commander", "resolved_at"))
    return row, counts, commanders


def _phase_now(investigation: Investigation) -> Phase:
    return Investigation.objects.select_related("incident").get(pk=investigation.pk).phase


def test_the_audit_table_covers_exactly_the_legal_transitions():
    assert set(AUDIT_ROWS) == set(TRANSITIONS)
    assert not IDEMPOTENT & set(TRANSITIONS)


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("phase", list(Phase), ids=str)
def test_every_transition_through_the_services(phase, action):
    investigation = IN_PHASE[phase]()
    assert _phase_now(investigation) == phase
    last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    before = _snapshot(investigation)

    if (phase, action) in TRANSITIONS:
        DO[action](investigation.pk)
        written = list(
            AuditEvent.objects.filter(id__gt=last_audit).values_list("action", "actor", "details")
        )
        assert written == AUDIT_ROWS[(phase, action)]()
        assert all(row.investigation_id == investigation.pk
                   for row in AuditEvent.objects.filter(id__gt=last_audit))
        assert _phase_now(investigation) == TRANSITIONS[(phase, action)]
        return

    if (phase, action) in IDEMPOTENT:
        DO[action](investigation.pk)
    else:
        with pytest.raises(IllegalTransition) as table:
            next_phase(phase, action)
        with pytest.raises(TransitionRefused) as refused:
            DO[action](investigation.pk)
        assert refused.value.message == table.value.message
    assert _snapshot(investigation) == before
    assert _phase_now(investigation) == phase
