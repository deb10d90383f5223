"""`/case` text to a subcommand: parse, check where it runs, dispatch, reply.

The guard (workspace, guests, Slack Connect, rate limit) has already run as
Bolt middleware. `acknowledge` runs before the ack and returns what the ack
carries; an `after_ack` subcommand's handler then runs in `finish`. Neither
raises: a refusal becomes its message, anything unexpected the generic
"Something went wrong" (logged), so Slack always gets a 200 with text.
"""

import logging
from dataclasses import dataclass

from investigations.exceptions import InvestigationError
from investigations.selectors import investigation_get_by_channel
from slack_integration.blocks.replies import (
    SOMETHING_WENT_WRONG,
    unknown_subcommand_text,
    warning_text,
)
from slack_integration.commands.registry import (
    CommandContext,
    CommandRefused,
    Reply,
    Subcommand,
    subcommand_get,
)
from slack_integration.installation import installation_reply
from slack_integration.payloads import SlashCommand, command_text_from

logger = logging.getLogger(__name__)

DEFAULT_SUBCOMMAND = "list"


@dataclass(frozen=True)
class Acknowledgement:
    """The ack's reply, and the subcommand whose handler still has to run."""

    reply: Reply | None
    after_ack: str = ""


def _context(spec: Subcommand, command: SlashCommand, args: str) -> CommandContext:
    investigation = None
    if spec.in_case_channel:
        investigation = investigation_get_by_channel(channel_id=command.channel_id)
        if investigation is None:
            raise CommandRefused(
                f"`/case {spec.name}` works only in an investigation's channel. "
                "Use `/case list` to find one."
            )
    return CommandContext(command=command, name=spec.name, args=args, investigation=investigation)


def _refusal(message: str) -> Reply:
    return Reply.ephemeral(warning_text(message))


_FAILED = "slack.command_failed stage=%s text=%r user=%s channel=%s"


def acknowledge(command: SlashCommand) -> Acknowledgement:
    """What the ack says; for an `after_ack` subcommand, which one to finish."""
    try:
        text = command_text_from(command.text)
        spec = subcommand_get(text.name or DEFAULT_SUBCOMMAND)
        if spec is None:
            return Acknowledgement(Reply.ephemeral(unknown_subcommand_text(text.name)))
        context = _context(spec, command, text.args)
        if spec.after_ack:
            reply = spec.acknowledge(context) if spec.acknowledge else None
            return Acknowledgement(reply, after_ack=spec.name)
        return Acknowledgement(spec.handler(context))
    except (InvestigationError, CommandRefused) as refusal:
        return Acknowledgement(_refusal(refusal.message))
    except Exception as error:
        logger.exception(_FAILED, "ack", command.text[:100], command.user_id, command.channel_id)
        return Acknowledgement(Reply.ephemeral(installation_reply(error) or SOMETHING_WENT_WRONG))


def finish(command: SlashCommand, name: str) -> Reply | None:
    """Run an `after_ack` subcommand's handler; its reply goes to the response_url."""
    try:
        spec = subcommand_get(name)
        if spec is None:
            raise LookupError(f"/case {name} is no longer registered")
        return spec.handler(_context(spec, command, command_text_from(command.text).args))
    except (InvestigationError, CommandRefused) as refusal:
        return _refusal(refusal.message)
    except Exception as error:
        logger.exception(
            _FAILED, "after_ack", command.text[:100], command.user_id, command.channel_id
        )
        # A revoked token or a bot removed from the issues channel: "tell your admin".
        return Reply.ephemeral(installation_reply(error) or SOMETHING_WENT_WRONG)
