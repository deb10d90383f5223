"""The pure transition table: every phase against every action."""

import pytest

from investigations.state_machine import (
    TRANSITIONS,
    Action,
    IllegalTransition,
    Phase,
    next_phase,
    phase_of,
)

LEGAL = {
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

ALL_PAIRS = [(phase, action) for phase in Phase for action in Action]


def test_table_is_exactly_the_documented_life_cycle():
    assert TRANSITIONS == LEGAL


@pytest.mark.parametrize(("phase", "action"), ALL_PAIRS)
def test_every_pair_is_either_legal_or_refused_with_a_message(phase, action):
    if (phase, action) in LEGAL:
        assert next_phase(phase, action) == LEGAL[(phase, action)]
    else:
        with pytest.raises(IllegalTransition) as caught:
            next_phase(phase, action)
        assert caught.value.message
        assert caught.value.message.endswith((".", "moment.", "first."))


@pytest.mark.parametrize(
    ("phase", "action", "expected"),
    [
        (Phase.INCIDENT_ACTIVE, Action.CLOSE, "resolve it with `/case resolve` before closing"),
        (Phase.CLOSED, Action.CLOSE, "already closed"),
        (Phase.INCIDENT_ACTIVE, Action.ESCALATE, "already an active incident"),
        (Phase.INCIDENT_RESOLVED, Action.ESCALATE, "escalates only once"),
        (Phase.INVESTIGATING, Action.RESOLVE, "no incident to resolve"),
        (Phase.INCIDENT_RESOLVED, Action.TRANSFER, "already resolved"),
        (Phase.CLOSED, Action.ADD_EVIDENCE, "closed"),
        (Phase.PENDING, Action.ESCALATE, "still being created"),
    ],
)
def test_refusals_say_why(phase, action, expected):
    with pytest.raises(IllegalTransition) as caught:
        next_phase(phase, action)
    assert expected in caught.value.message


def test_nothing_leaves_closed_or_failed():
    for terminal in (Phase.CLOSED, Phase.FAILED):
        assert not [key for key in TRANSITIONS if key[0] == terminal]


@pytest.mark.parametrize(
    ("status", "resolved", "phase"),
    [
        ("pending", None, Phase.PENDING),
        ("investigating", None, Phase.INVESTIGATING),
        ("escalated", False, Phase.INCIDENT_ACTIVE),
        ("escalated", True, Phase.INCIDENT_RESOLVED),
        ("closed", True, Phase.CLOSED),
        ("failed", None, Phase.FAILED),
    ],
)
def test_phase_derives_from_status_and_incident(status, resolved, phase):
    assert phase_of(status, resolved) == phase
