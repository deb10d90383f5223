"""Row locking and transition checks shared by the services."""

from django.db import transaction

from investigations.exceptions import InvestigationNotFound, TransitionRefused
from investigations.models import Incident, Investigation
from investigations.state_machine import Action, IllegalTransition, Phase, next_phase


def investigation_lock(investigation_id: int) -> Investigation:
    """Lock the investigation row for the rest of the transaction.

    Every service takes this lock first, so concurrent actions on one
    investigation run one after the other and each sees the last one's
    result; the incident is read after the lock, never before.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("investigation_lock needs a transaction")
    investigation = (
        Investigation.objects.select_for_update().filter(pk=investigation_id).first()
    )
    if investigation is None:
        raise InvestigationNotFound("That investigation no longer exists.")
    incident = Incident.objects.filter(investigation=investigation).first()
    if incident is not None:
        investigation.incident = incident
    return investigation


def investigation_advance(investigation: Investigation, action: Action) -> Phase:
    """Return the phase `action` leads to, or raise `TransitionRefused`."""
    try:
        return next_phase(investigation.phase, action)
    except IllegalTransition as error:
        raise TransitionRefused.from_illegal(error) from None
