"""Bringing people into a case channel: the response group on escalation.

`conversations.invite` takes user ids (up to 1000 a call) and, without
`force`, fails whole on one `already_in_channel` or deactivated user. So the
channel's members are read first, only the missing people are invited, in
batches, with `force=true`; an error that names users is logged, not raised.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from slack_sdk.errors import SlackApiError

from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler
from slack_integration.client import slack_client, slack_error_code, slack_errors_as_delivery_errors
from slack_integration.handlers.common import case_channel, investigation_of

logger = logging.getLogger(__name__)

INVITE_BATCH = 1000  # Slack's limit of user ids per conversations.invite
MEMBERS_PAGE = 1000

# Refusals about the people invited, not the channel: with `force=true`
# Slack answers ok=false with one of these only when nobody could be added.
USER_INVITE_ERRORS = frozenset(
    {"already_in_channel", "cant_invite", "cant_invite_self", "user_not_found", "no_user",
     "user_is_restricted", "user_is_ultra_restricted", "ura_max_channels", "user_is_bot",
     "user_team_not_in_channel", "invitee_cant_see_channel", "user_disabled"}
)


def channel_members(channel_id: str) -> set[str]:
    """Every member of the channel, following Slack's cursor."""
    members: set[str] = set()
    cursor = ""
    with slack_errors_as_delivery_errors("conversations.members"):
        while True:
            page = slack_client().conversations_members(
                channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor or None
            )
            members.update(page.get("members", []))
            cursor = (page.get("response_metadata") or {}).get("next_cursor", "")
            if not cursor:
                return members


def invite_missing(channel_id: str, user_ids: Iterable[str]) -> list[str]:
    """Invite those of `user_ids` not yet in the channel; return who was asked.

    Safe to repeat: a second run finds them members and asks nobody.
    """
    present = channel_members(channel_id)
    missing = [u for u in dict.fromkeys(user_ids) if u and u not in present]
    for start in range(0, len(missing), INVITE_BATCH):
        batch = missing[start:start + INVITE_BATCH]
        with slack_errors_as_delivery_errors("conversations.invite"):
            try:
                response = slack_client().conversations_invite(
                    channel=channel_id, users=",".join(batch), force=True
                )
                refused = response.get("errors") or []
            except SlackApiError as error:
                if slack_error_code(error) not in USER_INVITE_ERRORS:
                    raise
                refused = (error.response.get("errors") if error.response else None) or [
                    {"user": ",".join(batch), "error": slack_error_code(error)}
                ]
        for entry in refused:
            logger.warning(
                "slack.invite_refused channel=%s user=%s error=%s",
                channel_id, entry.get("user"), entry.get("error"),
            )
    return missing


@outbox_handler(Effect.SLACK_INVITE_RESPONSE_GROUP)
def invite_response_group(message: OutboxMessage) -> None:
    """Add the incident response group's members to the case channel."""
    group_id = settings.INCIDENT_RESPONSE_GROUP_ID
    if not group_id:
        return
    channel_id = case_channel(investigation_of(message))
    with slack_errors_as_delivery_errors("usergroups.users.list"):
        members = slack_client().usergroups_users_list(usergroup=group_id).get("users", [])
    invite_missing(channel_id, members)
