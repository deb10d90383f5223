"""Domain services: one atomic, row-locked function per action.

Each takes keyword-only arguments and the actor as a plain Slack user id,
locks the investigation row first, checks the transition, writes the audit
event and records its side effects in the outbox, all in one transaction.
"""

from investigations.services.evidence import evidence_add
from investigations.services.incidents import (
    incident_resolve,
    incident_set_pagerduty_state,
    incident_transfer,
    investigation_escalate,
)
from investigations.services.lifecycle import (
    investigation_activate,
    investigation_close,
    investigation_fail,
    investigation_open,
    investigation_rename,
    investigation_set_announcement,
    investigation_set_channel,
)

__all__ = [
    "evidence_add",
    "incident_resolve",
    "incident_set_pagerduty_state",
    "incident_transfer",
    "investigation_activate",
    "investigation_close",
    "investigation_escalate",
    "investigation_fail",
    "investigation_open",
    "investigation_rename",
    "investigation_set_announcement",
    "investigation_set_channel",
]
