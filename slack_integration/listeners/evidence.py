"""Collect Evidence: the message shortcut, the picker's search, the submission.

The shortcut opens the picker with `views.open` in the request itself (its
trigger expires 3 s after the click); with no open investigation it answers
through the shortcut's response_url, which works in any conversation, even
one the bot is not in. The picker is an external select, so every open
investigation can be found by name or title, not only the newest 25.

The submission links the message before it acks, so what the person sees in
the modal is the outcome: the confirmation, or a field error (already
collected, closed in the meantime). The permalink comes from
`chat.getPermalink` (right for threads and any workspace domain), asked with
a short timeout; if Slack cannot answer in time the link is built from the
cached workspace URL instead (never a second Slack call before the ack),
which is right for every message but a thread reply.
"""

import logging
import uuid
from functools import partial
from typing import Any

from django.db.models import Q
from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError, SlackClientError

from investigations.exceptions import InvestigationError
from investigations.models import Investigation
from investigations.selectors import investigation_get, investigation_list_open
from investigations.services import evidence_add
from slack_integration.after_ack import run_after_ack
from slack_integration.blocks.evidence import (
    NONE_OPEN,
    OPTIONS_LIMIT,
    collect_evidence_view,
    evidence_added_view,
    investigation_options,
)
from slack_integration.blocks.replies import SOMETHING_WENT_WRONG, ephemeral_body
from slack_integration.client import slack_client, slack_error_code
from slack_integration.ids import COLLECT_EVIDENCE_CALLBACK_ID as SHORTCUT_ID
from slack_integration.ids import COLLECT_EVIDENCE_SELECT_ACTION_ID as SELECT_ACTION_ID
from slack_integration.ids import COLLECT_EVIDENCE_SELECT_BLOCK_ID as SELECT_BLOCK_ID
from slack_integration.ids import COLLECT_EVIDENCE_VIEW_CALLBACK_ID as VIEW_ID
from slack_integration.payloads import CollectedMessage, selected_option_value
from slack_integration.responses import response_post
from slack_integration.workspace import installation_cached

logger = logging.getLogger(__name__)

# chat.getPermalink runs before the submission's ack: it gets this long.
PERMALINK_TIMEOUT_SECONDS = 2
PICKER_FAILED = "⚠️ Case could not open the picker (Slack refused it). Please try again."
NO_PERMALINK = "Case could not get this message's link from Slack just now; please try again."
GONE = "That investigation no longer exists; pick another."
CHOOSE = "Choose the investigation to add this message to."


def collect_evidence(ack: Ack, body: dict[str, Any]) -> None:
    """The shortcut: the picker (one open case pre-selected), or "none open"."""
    ack()
    response_url = body.get("response_url", "")
    first_two = list(investigation_list_open()[:2])
    if not first_two:
        run_after_ack(partial(response_post, response_url, ephemeral_body(NONE_OPEN)))
        return
    view = collect_evidence_view(
        private_metadata=CollectedMessage.from_shortcut(body).to_metadata(),
        initial=first_two[0] if len(first_two) == 1 else None,
    )
    try:
        slack_client().views_open(trigger_id=body.get("trigger_id", ""), view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        code = slack_error_code(error) if isinstance(error, SlackApiError) else repr(error)
        logger.warning("slack.evidence_picker_failed error=%s", code)
        run_after_ack(partial(response_post, response_url, ephemeral_body(PICKER_FAILED)))


def open_investigations_matching(query: str) -> dict[str, Any]:
    """Options for the picker: open investigations whose name or title match."""
    found = investigation_list_open()
    query = query.strip()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(title__icontains=query))
    shown = list(found[:OPTIONS_LIMIT])
    total = len(shown) if len(shown) < OPTIONS_LIMIT else found.count()
    return investigation_options(shown, total=total)


def search_investigations(ack: Ack, body: dict[str, Any]) -> None:
    ack(**open_investigations_matching(str(body.get("value") or "")))


def _chosen(value: str) -> Investigation | None:
    try:
        public_id = str(uuid.UUID(value))
    except ValueError:
        return None
    return investigation_get(public_id=public_id)


def permalink_of(collected: CollectedMessage) -> str | None:
    """Slack's permalink; else one built from the cached workspace URL; else None."""
    try:
        answer = slack_client(timeout=PERMALINK_TIMEOUT_SECONDS).chat_getPermalink(
            channel=collected.channel_id, message_ts=collected.message_ts
        )
        return answer["permalink"]
    except (SlackApiError, SlackClientError, OSError) as error:
        code = slack_error_code(error) if isinstance(error, SlackApiError) else repr(error)
        logger.warning("slack.permalink_failed channel=%s error=%s", collected.channel_id, code)
    # auth.test now could take the rest of Slack's 3 s: only a cached URL will do.
    installation = installation_cached()
    if installation is None or not installation.url:
        return None
    ts = collected.message_ts.replace(".", "")
    return f"{installation.url.rstrip('/')}/archives/{collected.channel_id}/p{ts}"


def _field_error(ack: Ack, message: str) -> None:
    ack(response_action="errors", errors={SELECT_BLOCK_ID: message})


def submit_evidence(ack: Ack, body: dict[str, Any]) -> None:
    """Link the message; answer in the modal (confirmation or field error)."""
    view = body.get("view") or {}
    collected = CollectedMessage.from_metadata(view.get("private_metadata", ""))
    if collected is None:
        logger.warning("slack.evidence_metadata_missing view=%s", view.get("id"))
        _field_error(ack, SOMETHING_WENT_WRONG.removeprefix("⚠️ "))
        return
    value = selected_option_value(view, block_id=SELECT_BLOCK_ID, action_id=SELECT_ACTION_ID)
    investigation = _chosen(value)
    if investigation is None:
        _field_error(ack, GONE if value else CHOOSE)
        return
    permalink = permalink_of(collected)
    if permalink is None:
        _field_error(ack, NO_PERMALINK)
        return
    try:
        evidence_add(
            investigation_id=investigation.pk,
            actor=(body.get("user") or {}).get("id", ""),
            source_channel_id=collected.channel_id,
            message_ts=collected.message_ts,
            permalink=permalink,
        )
    except InvestigationError as refusal:
        _field_error(ack, refusal.message)
        return
    ack(response_action="update", view=evidence_added_view(investigation))


def register(app: App) -> None:
    app.shortcut(SHORTCUT_ID)(collect_evidence)
    app.options(SELECT_ACTION_ID)(search_investigations)
    app.view(VIEW_ID)(submit_evidence)
