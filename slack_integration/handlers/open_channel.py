"""`slack.open_channel`: a new investigation's channel, resumably, or a plain failure.

Steps, each done once: create the public channel under the investigation's
name (on `name_taken`, draw a new name and try again); record it; set the
topic; invite the opener; announce the investigation in ISSUES_CHANNEL_ID
(joining it only if Slack says the bot is not in it); post the welcome; mark
the investigation active; tell the opener, with the link, through their
command's response_url (or a DM once that has expired).

A failed attempt rolls back this handler's database writes, so every Slack
result is checkpointed in `message.payload["progress"]` (which the outbox
keeps) and re-applied on the next attempt: a retry never creates a second
channel or posts twice. The outbox retries transient failures 2+4+8+16 s
apart; after MAX_ATTEMPTS (about 30 s) or a refusal, `open_channel_failed`
marks the investigation failed for good, archives any half-made channel and
tells the opener why. The investigation becomes active only after its channel
took the welcome post, so no active investigation points at a missing channel.
"""

import logging
from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from investigations.effects import Effect
from investigations.models import Investigation, OutboxMessage
from investigations.outbox import PermanentDeliveryError, TransientDeliveryError, outbox_handler
from investigations.services import (
    investigation_activate,
    investigation_fail,
    investigation_rename,
    investigation_set_announcement,
    investigation_set_channel,
)
from slack_integration.blocks.announcement import announcement
from slack_integration.blocks.opening import (
    channel_topic_on_open,
    open_failed_message,
    opened_message,
    welcome_message,
)
from slack_integration.client import (
    is_transient,
    slack_client,
    slack_error_code,
    slack_errors_as_delivery_errors,
)
from slack_integration.commands.registry import subcommands
from slack_integration.installation import installation_problem_record
from slack_integration.responses import user_notify
from slack_integration.workspace import installation_identity

logger = logging.getLogger(__name__)

# 2 + 4 + 8 + 16 s of backoff between five tries: about 30 s, then a plain failure.
MAX_ATTEMPTS = 5
# Names drawn per attempt when Slack answers `name_taken`.
NAME_DRAWS = 5

_EXPLAINED = {
    "ratelimited": "Slack kept asking Case to slow down",
    "restricted_action": "this workspace does not let apps create channels",
    "missing_scope": "the Case app lacks a permission (an admin must reinstall it)",
    "invalid_auth": "Case's Slack token is not valid (tell your admin)",
    "token_revoked": "Case's Slack token was revoked (tell your admin)",
    "account_inactive": "Case was uninstalled from this workspace (tell your admin)",
    "name_taken": "Slack refused every channel name Case tried",
}


def _fresh(investigation_id: int) -> Investigation | None:
    return Investigation.objects.select_related("incident").filter(pk=investigation_id).first()


def _create_channel(api: WebClient, name: str) -> str | None:
    """The new public channel's id; None when Slack says the name is taken."""
    with slack_errors_as_delivery_errors("conversations.create"):
        try:
            return api.conversations_create(name=name, is_private=False)["channel"]["id"]
        except SlackApiError as error:
            if slack_error_code(error) == "name_taken":
                return None
            raise


def _ensure_channel(investigation: Investigation, progress: dict[str, Any], api: WebClient) -> str:
    if "channel_id" not in progress:
        for _ in range(NAME_DRAWS):
            channel_id = _create_channel(api, investigation.name)
            if channel_id is not None:
                progress.update(channel_id=channel_id, channel_name=investigation.name)
                break
            logger.info("slack.channel_name_taken name=%s", investigation.name)
            investigation = investigation_rename(investigation_id=investigation.pk)
        else:
            raise TransientDeliveryError("conversations.create: name_taken")
    # Re-applied on every attempt: an earlier attempt's writes were rolled back.
    investigation_rename(investigation_id=investigation.pk, name=progress["channel_name"])
    with slack_errors_as_delivery_errors("auth.test"):
        url = installation_identity().channel_url(progress["channel_id"])
    investigation_set_channel(
        investigation_id=investigation.pk, channel_id=progress["channel_id"], channel_url=url
    )
    return progress["channel_id"]


def _best_effort(step: str, call: Any) -> None:
    """A step whose refusal must not stop the open (a retry still follows a 5xx)."""
    try:
        with slack_errors_as_delivery_errors(step):
            call()
    except PermanentDeliveryError as refusal:
        logger.warning("slack.open_step_refused step=%s reason=%s", step, refusal.reason)


def _post_announcement(api: WebClient, investigation: Investigation) -> str:
    issues = settings.ISSUES_CHANNEL_ID
    content = announcement(investigation)
    with slack_errors_as_delivery_errors("chat.postMessage"):
        try:
            return api.chat_postMessage(channel=issues, **content)["ts"]
        except SlackApiError as error:
            if slack_error_code(error) != "not_in_channel":
                raise
        # Joined only when needed: the bot is usually a member already.
        api.conversations_join(channel=issues)
        return api.chat_postMessage(channel=issues, **content)["ts"]


def _ensure_announcement(
    investigation: Investigation, progress: dict[str, Any], api: WebClient
) -> None:
    if "announcement_ts" not in progress and "announcement_error" not in progress:
        if not settings.ISSUES_CHANNEL_ID:
            logger.warning("slack.no_issues_channel investigation=%s", investigation.name)
            progress["announcement_error"] = "ISSUES_CHANNEL_ID is not set"
            return
        try:
            progress["announcement_ts"] = _post_announcement(api, investigation)
        except PermanentDeliveryError as refusal:
            # A broken issues channel is the admin's to fix; the case still opens.
            code = refusal.reason.rsplit(": ", 1)[-1]
            installation_problem_record(
                code=code, method="chat.postMessage", channel=settings.ISSUES_CHANNEL_ID
            )
            progress["announcement_error"] = code
            return
    if "announcement_ts" in progress:
        investigation_set_announcement(
            investigation_id=investigation.pk, ts=progress["announcement_ts"]
        )


def _welcome(investigation: Investigation) -> dict[str, Any]:
    specs = subcommands()
    return welcome_message(
        investigation,
        here=[spec.name for spec in specs if spec.in_case_channel],
        anywhere=[spec.name for spec in specs if not spec.in_case_channel],
    )


def _invite_opener(api: WebClient, channel_id: str, user_id: str) -> None:
    with slack_errors_as_delivery_errors("conversations.invite"):
        try:
            api.conversations_invite(channel=channel_id, users=user_id)
        except SlackApiError as error:
            if is_transient(error):
                raise
            if slack_error_code(error) != "already_in_channel":
                # The channel is public: the opener can still join it.
                logger.warning(
                    "slack.invite_refused user=%s error=%s", user_id, slack_error_code(error)
                )


def explain_failure(reason: str) -> str:
    """A failure reason from the outbox in words the opener understands."""
    code = reason.rsplit(": ", 1)[-1].strip()
    if code in _EXPLAINED:
        return _EXPLAINED[code]
    if code.startswith(("HTTP 5", "Timeout", "URLError", "ConnectionError")) or code in {
        "internal_error", "fatal_error", "service_unavailable", "request_timeout"
    }:
        return "Slack did not answer properly for about 30 seconds"
    return f"Slack refused ({code})"


def _quietly(step: str, call: Any) -> None:
    try:
        call()
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("slack.cleanup_failed step=%s error=%s", step, error)


def open_channel_failed(message: OutboxMessage) -> None:
    """Give up: the investigation fails for good, half-made Slack parts are removed."""
    investigation = _fresh(message.investigation_id)
    if investigation is None or investigation.status != Investigation.Status.PENDING:
        return
    reason = message.last_error
    investigation_fail(investigation_id=investigation.pk, reason=reason)
    progress = message.payload.get("progress", {})
    api = slack_client()
    if progress.get("channel_id"):
        _quietly("conversations.archive",
                 lambda: api.conversations_archive(channel=progress["channel_id"]))
    if progress.get("announcement_ts"):
        _quietly("chat.delete", lambda: api.chat_delete(
            channel=settings.ISSUES_CHANNEL_ID, ts=progress["announcement_ts"]))
    user_notify(
        user_id=investigation.opened_by,
        content=open_failed_message(investigation.title, explain_failure(reason)),
        response_url=message.payload.get("response_url", ""),
    )


@outbox_handler(Effect.SLACK_OPEN_CHANNEL, max_attempts=MAX_ATTEMPTS, on_give_up=open_channel_failed)
def open_channel(message: OutboxMessage) -> None:
    investigation = _fresh(message.investigation_id)
    if investigation is None or investigation.status in (
        Investigation.Status.FAILED, Investigation.Status.CLOSED
    ):
        return
    payload = message.payload
    progress = payload.setdefault("progress", {})
    api = slack_client()
    channel_id = _ensure_channel(investigation, progress, api)
    investigation = _fresh(investigation.pk)
    if not progress.get("topic_set"):
        _best_effort("conversations.setTopic", lambda: api.conversations_setTopic(
            channel=channel_id, topic=channel_topic_on_open(investigation.title)))
        progress["topic_set"] = True
    if not progress.get("invited"):
        _invite_opener(api, channel_id, investigation.opened_by)
        progress["invited"] = True
    _ensure_announcement(investigation, progress, api)
    if "welcome_ts" not in progress:
        with slack_errors_as_delivery_errors("chat.postMessage"):
            progress["welcome_ts"] = api.chat_postMessage(
                channel=channel_id, **_welcome(investigation))["ts"]
    investigation = investigation_activate(investigation_id=investigation.pk)
    if not progress.get("confirmed"):
        content = opened_message(investigation, issues_channel_id=settings.ISSUES_CHANNEL_ID)
        progress["confirmed"] = user_notify(
            user_id=investigation.opened_by, content=content,
            response_url=payload.get("response_url", ""),
        ) or "failed"
