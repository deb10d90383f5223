"""The one way audit events are written."""

from typing import Any

from investigations.models import AuditEvent, Investigation


def audit_record(
    *, investigation: Investigation, action: str, actor: str, details: dict[str, Any] | None = None
) -> AuditEvent:
    """Append an audit event; call inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        investigation=investigation, action=action, actor=actor, details=details or {}
    )
