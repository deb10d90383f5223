"""`/case transfer @person`: hand the incident commander role to someone.

Slack sends a picked mention as `<@U123|name>` (`should_escape` on); a bare
`U…`/`W…` id is accepted too. The new commander must be a current, full
member of this organisation and a person: `users.info` is asked after the
ack (a Slack call), the state and the mention's shape are checked before it.
"""

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from investigations.exceptions import TransitionRefused
from investigations.services import incident_transfer
from investigations.state_machine import Action, IllegalTransition, next_phase
from slack_integration.blocks.base import code, user
from slack_integration.blocks.incident import transferred_reply
from slack_integration.client import slack_client, slack_error_code
from slack_integration.commands.registry import CommandContext, CommandRefused, Reply, subcommand
from slack_integration.workspace import installation_identity

logger = logging.getLogger(__name__)

USAGE = "Name the new incident commander: `/case transfer @person`."
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_BARE_ID = re.compile(r"[UW][A-Z0-9]{5,}")


def commander_from_args(args: str) -> str:
    """The user id named in the arguments, or a refusal saying what is wrong."""
    text = args.strip()
    if not text:
        raise CommandRefused(USAGE)
    for pattern in (_MENTION, _BARE_ID):
        match = pattern.fullmatch(text)
        if match:
            return match.group(1) if match.groups() else match.group(0)
    if len(_MENTION.findall(text)) > 1:
        raise CommandRefused(f"Name exactly one person. {USAGE}")
    if text.startswith("<!subteam^"):
        raise CommandRefused(f"That is a user group; the commander is one person. {USAGE}")
    if text.startswith("<#"):
        raise CommandRefused(f"That is a channel, not a person. {USAGE}")
    if text.startswith("@"):
        raise CommandRefused(
            f"Slack did not recognise {code(text[:80])} as a person. Pick them from the "
            f"list Slack shows as you type @. {USAGE}"
        )
    raise CommandRefused(f"{code(text[:80])} is not a mention of a person. {USAGE}")


def _refusal_for(person: dict[str, Any], user_id: str) -> str:
    """Why this person cannot command an incident; "" when they can."""
    who = user(user_id)
    if person.get("deleted"):
        return f"{who} is deactivated and cannot command the incident."
    if person.get("is_bot") or person.get("is_app_user") or user_id == "USLACKBOT":
        return f"{who} is a bot; the incident commander must be a person."
    if person.get("is_restricted") or person.get("is_ultra_restricted"):
        return f"{who} is a guest account; the incident commander must be a full member."
    if person.get("is_stranger") or not installation_identity().has_member(person):
        return f"{who} is from another organisation; the incident commander must be one of yours."
    return ""


def check_commander(user_id: str) -> None:
    """Refuse anyone but a current, full member of this organisation."""
    try:
        person = slack_client().users_info(user=user_id)["user"]
        refusal = _refusal_for(person, user_id)
    except SlackApiError as error:
        if slack_error_code(error) in {"user_not_found", "user_not_visible"}:
            raise CommandRefused(f"Case cannot find {user(user_id)} in this workspace.") from None
        logger.warning("slack.transfer_lookup_failed user=%s error=%s", user_id,
                       slack_error_code(error))
        refusal = "Case could not check that person with Slack just now; try again in a minute."
    except (SlackClientError, OSError) as error:
        logger.warning("slack.transfer_lookup_failed user=%s error=%s", user_id, error)
        refusal = "Case could not check that person with Slack just now; try again in a minute."
    if refusal:
        raise CommandRefused(refusal)


def acknowledge_transfer(ctx: CommandContext) -> None:
    """Before the ack: an active incident, one person named, not its commander.

    The service checks the state again under its lock; this saves asking
    Slack about someone when the answer is no anyway.
    """
    investigation = ctx.case()
    try:
        next_phase(investigation.phase, Action.TRANSFER)
    except IllegalTransition as error:
        raise TransitionRefused.from_illegal(error) from None
    new_commander = commander_from_args(ctx.args)
    if new_commander == investigation.incident.commander:
        raise CommandRefused(f"{user(new_commander)} is already the incident commander.")


@subcommand(
    "transfer",
    help="Hand the incident commander role to someone",
    usage="transfer @person",
    in_case_channel=True,
    after_ack=True,
    acknowledge=acknowledge_transfer,
)
def transfer(ctx: CommandContext) -> Reply:
    new_commander = commander_from_args(ctx.args)
    check_commander(new_commander)
    incident_transfer(
        investigation_id=ctx.case().pk, actor=ctx.command.user_id, new_commander=new_commander
    )
    return Reply.ephemeral(transferred_reply(new_commander))
