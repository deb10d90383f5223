"""Opening (with its channel), failing and closing investigations."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from investigations.audit import audit_record
from investigations.effects import Effect, channel_ordering_key
from investigations.exceptions import NameExhausted, TransitionRefused
from investigations.models import AuditEvent, Investigation
from investigations.naming import channel_name, title_validate
from investigations.outbox import outbox_record
from investigations.services.locking import investigation_advance, investigation_lock
from investigations.state_machine import Action

NAME_DRAWS = 10


def _draw_free_name(title: str) -> str:
    """A channel name no investigation holds yet (Slack may still refuse it)."""
    for _ in range(NAME_DRAWS):
        name = channel_name(title)
        if not Investigation.objects.filter(name=name).exists():
            return name
    raise NameExhausted(
        "Could not find a free channel name for that title; add a word or two and try again."
    )


@transaction.atomic
def investigation_open(
    *, title: str, opened_by: str, team_id: str = "", effect_context: dict | None = None
) -> Investigation:
    """Open a pending investigation; its channel is created through the outbox.

    The unique name is reserved by the insert: a concurrent open that drew the
    same name loses the race on the unique index and draws again.
    `effect_context` (JSON) becomes the channel effect's payload: what the
    Slack side needs to answer the opener (their command's response_url).
    """
    title = title_validate(title)
    for _ in range(NAME_DRAWS):
        try:
            with transaction.atomic():
                investigation = Investigation.objects.create(
                    name=_draw_free_name(title),
                    title=title,
                    opened_by=opened_by,
                    team_id=team_id,
                )
            break
        except IntegrityError:
            continue
    else:
        raise NameExhausted("Could not reserve a channel name; please try again.")
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.OPENED,
        actor=opened_by,
        details={"title": title, "name": investigation.name},
    )
    outbox_record(
        kind=Effect.SLACK_OPEN_CHANNEL,
        key=f"{Effect.SLACK_OPEN_CHANNEL}:{investigation.public_id}",
        investigation=investigation,
        payload=effect_context,
        ordering_key=channel_ordering_key(investigation.public_id),
    )
    return investigation


@transaction.atomic
def investigation_rename(
    *, investigation_id: int, actor: str = "case", name: str = ""
) -> Investigation:
    """Draw a new name for a pending investigation whose name Slack refused.

    `name` is taken instead of a drawn one (idempotent): the name of a channel
    made in a delivery attempt whose database writes were rolled back.
    """
    investigation = investigation_lock(investigation_id)
    if name and investigation.name == name:
        return investigation
    if investigation.status != Investigation.Status.PENDING or investigation.channel_id:
        raise TransitionRefused("Only an investigation still waiting for its channel is renamed.")
    old_name = investigation.name
    investigation.name = name or _draw_free_name(investigation.title)
    investigation.save(update_fields=["name"])
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.RENAMED,
        actor=actor,
        details={"old_name": old_name, "new_name": investigation.name},
    )
    return investigation


@transaction.atomic
def investigation_set_channel(
    *, investigation_id: int, channel_id: str, channel_url: str = "", actor: str = "case"
) -> Investigation:
    """Record the Slack channel created for a pending investigation (idempotent)."""
    investigation = investigation_lock(investigation_id)
    if investigation.channel_id == channel_id:
        return investigation
    if investigation.status != Investigation.Status.PENDING or investigation.channel_id:
        raise TransitionRefused("This investigation already has a channel.")
    investigation.channel_id = channel_id
    investigation.channel_url = channel_url
    investigation.save(update_fields=["channel_id", "channel_url"])
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.CHANNEL_CREATED,
        actor=actor,
        details={"channel_id": channel_id, "name": investigation.name},
    )
    return investigation


@transaction.atomic
def investigation_set_announcement(*, investigation_id: int, ts: str) -> Investigation:
    """Remember the announcement's ts, the thread for later notices."""
    investigation = investigation_lock(investigation_id)
    if investigation.announcement_ts != ts:
        investigation.announcement_ts = ts
        investigation.save(update_fields=["announcement_ts"])
    return investigation


@transaction.atomic
def investigation_activate(*, investigation_id: int, actor: str = "case") -> Investigation:
    """Mark a pending investigation open for work once its channel is ready."""
    investigation = investigation_lock(investigation_id)
    if investigation.status == Investigation.Status.INVESTIGATING:
        return investigation
    if not investigation.channel_id:
        raise TransitionRefused("An investigation cannot be opened without its channel.")
    investigation_advance(investigation, Action.ACTIVATE)
    investigation.status = Investigation.Status.INVESTIGATING
    investigation.save(update_fields=["status"])
    audit_record(investigation=investigation, action=AuditEvent.Action.ACTIVATED, actor=actor)
    return investigation


@transaction.atomic
def investigation_fail(
    *, investigation_id: int, reason: str, actor: str = "case"
) -> Investigation:
    """End a pending investigation whose channel could not be made (terminal)."""
    investigation = investigation_lock(investigation_id)
    if investigation.status == Investigation.Status.FAILED:
        return investigation
    investigation_advance(investigation, Action.FAIL)
    investigation.status = Investigation.Status.FAILED
    investigation.failure_reason = reason
    investigation.save(update_fields=["status", "failure_reason"])
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.FAILED,
        actor=actor,
        details={"reason": reason},
    )
    return investigation


@transaction.atomic
def investigation_close(*, investigation_id: int, actor: str) -> Investigation:
    """Close the investigation: a closing summary, then the channel archived.

    Refused while the incident is active, and when already closed.
    """
    investigation = investigation_lock(investigation_id)
    investigation_advance(investigation, Action.CLOSE)
    investigation.status = Investigation.Status.CLOSED
    investigation.closed_by = actor
    investigation.closed_at = timezone.now()
    investigation.save(update_fields=["status", "closed_by", "closed_at"])
    audit_record(investigation=investigation, action=AuditEvent.Action.CLOSED, actor=actor)
    public_id = investigation.public_id
    for effect in (Effect.SLACK_CLOSING_SUMMARY, Effect.SLACK_ARCHIVE_CHANNEL):
        outbox_record(
            kind=effect,
            key=f"{effect}:{public_id}",
            investigation=investigation,
            ordering_key=channel_ordering_key(public_id),
        )
    announcement_refresh_record(investigation, reason="closed")
    return investigation


def announcement_refresh_record(investigation: Investigation, *, reason: str) -> None:
    """Ask for the issues-channel announcement to be redrawn in its new state.

    Keyed by the audit count so every change asks once; the handler draws the
    current state, so a burst of requests coalesces into the latest picture.
    """
    count = investigation.audit_events.count()
    outbox_record(
        kind=Effect.SLACK_REFRESH_ANNOUNCEMENT,
        key=f"{Effect.SLACK_REFRESH_ANNOUNCEMENT}:{investigation.public_id}:{count}",
        investigation=investigation,
        payload={"reason": reason},
    )
