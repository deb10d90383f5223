"""The investigation life cycle as a pure transition table (no Django).

The stored status alone does not say whether an escalated investigation's
incident is still active, so the table works on a *phase* derived from the
stored status and the incident's resolution (see `phase_of`).
"""

from enum import StrEnum


class Phase(StrEnum):
    PENDING = "pending"  # channel being created; never listed or counted
    INVESTIGATING = "investigating"
    INCIDENT_ACTIVE = "incident_active"
    INCIDENT_RESOLVED = "incident_resolved"  # stays open for the post-mortem
    CLOSED = "closed"
    FAILED = "failed"  # the channel could not be created; terminal


class Action(StrEnum):
    ACTIVATE = "activate"  # the channel exists and was announced
    FAIL = "fail"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    TRANSFER = "transfer"
    CLOSE = "close"
    ADD_EVIDENCE = "add_evidence"


class IllegalTransition(Exception):  # noqa: N818  (a domain word, not a generic error)
    """An action that the investigation's phase does not allow."""

    def __init__(self, phase: Phase, action: Action, message: str) -> None:
        super().__init__(message)
        self.phase = phase
        self.action = action
        self.message = message


TRANSITIONS: dict[tuple[Phase, Action], Phase] = {
    (Phase.PENDING, Action.ACTIVATE): Phase.INVESTIGATING,
    (Phase.PENDING, Action.FAIL): Phase.FAILED,
    (Phase.INVESTIGATING, Action.ESCALATE): Phase.INCIDENT_ACTIVE,
    (Phase.INVESTIGATING, Action.CLOSE): Phase.CLOSED,
    (Phase.INVESTIGATING, Action.ADD_EVIDENCE): Phase.INVESTIGATING,
    (Phase.INCIDENT_ACTIVE, Action.RESOLVE): Phase.INCIDENT_RESOLVED,
    (Phase.INCIDENT_ACTIVE, Action.TRANSFER): Phase.INCIDENT_ACTIVE,
    (Phase.INCIDENT_ACTIVE, Action.ADD_EVIDENCE): Phase.INCIDENT_ACTIVE,
    (Phase.INCIDENT_RESOLVED, Action.CLOSE): Phase.CLOSED,
    (Phase.INCIDENT_RESOLVED, Action.ADD_EVIDENCE): Phase.INCIDENT_RESOLVED,
}

_NOT_READY = "This investigation's channel is still being created; try again in a moment."
_FAILED = "This investigation could not be opened (its Slack channel was never created)."
_CLOSED = "This investigation is closed."

# Why an action is refused, per phase. Anything missing falls back to a
# message about the phase alone.
REFUSALS: dict[tuple[Phase, Action], str] = {
    (Phase.INCIDENT_ACTIVE, Action.ESCALATE): "This investigation is already an active incident.",
    (Phase.INCIDENT_RESOLVED, Action.ESCALATE): (
        "This investigation was already escalated and its incident resolved; "
        "an investigation escalates only once."
    ),
    (Phase.CLOSED, Action.ESCALATE): "This investigation is closed and cannot be escalated.",
    (Phase.INVESTIGATING, Action.RESOLVE): (
        "This investigation has no incident to resolve. Use `/case incident` to escalate it first."
    ),
    (Phase.INCIDENT_RESOLVED, Action.RESOLVE): "This incident is already resolved.",
    (Phase.INVESTIGATING, Action.TRANSFER): (
        "This investigation has no incident yet, so there is no commander to transfer. "
        "Use `/case incident` first."
    ),
    (Phase.INCIDENT_RESOLVED, Action.TRANSFER): (
        "This incident is already resolved; the commander role ended with it."
    ),
    (Phase.INCIDENT_ACTIVE, Action.CLOSE): (
        "This investigation has an active incident; resolve it with `/case resolve` "
        "before closing."
    ),
    (Phase.CLOSED, Action.CLOSE): "This investigation is already closed.",
    (Phase.CLOSED, Action.ADD_EVIDENCE): (
        "This investigation is closed; evidence can no longer be added."
    ),
}

_PHASE_REFUSALS: dict[Phase, str] = {
    Phase.PENDING: _NOT_READY,
    Phase.FAILED: _FAILED,
    Phase.CLOSED: _CLOSED,
    Phase.INVESTIGATING: "That is not possible while the investigation is being investigated.",
    Phase.INCIDENT_ACTIVE: "That is not possible while the incident is active.",
    Phase.INCIDENT_RESOLVED: "That is not possible once the incident is resolved.",
}


def next_phase(phase: Phase, action: Action) -> Phase:
    """Return the phase `action` leads to, or raise `IllegalTransition`."""
    try:
        return TRANSITIONS[(phase, action)]
    except KeyError:
        message = REFUSALS.get((phase, action), _PHASE_REFUSALS[phase])
        raise IllegalTransition(phase, action, message) from None


def phase_of(status: str, incident_resolved: bool | None) -> Phase:
    """Derive the phase from the stored status and the incident's state.

    `incident_resolved` is None when there is no incident.
    """
    if status == "escalated":
        return Phase.INCIDENT_RESOLVED if incident_resolved else Phase.INCIDENT_ACTIVE
    return Phase(status)
