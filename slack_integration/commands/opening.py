"""`/case open <title>`: reserve the investigation; its channel follows via the outbox."""

from investigations.naming import title_from_slack, title_validate
from investigations.services import investigation_open
from slack_integration.blocks.opening import opening_text
from slack_integration.commands.registry import CommandContext, Reply, subcommand
from slack_integration.payloads import plain_text_from_slack


def title_of(ctx: CommandContext) -> str:
    """The title as typed: Slack's tokens and entities undone, then validated."""
    return title_validate(title_from_slack(plain_text_from_slack(ctx.args)))


def acknowledge_open(ctx: CommandContext) -> Reply:
    return Reply.ephemeral(opening_text(title_of(ctx)))


@subcommand(
    "open",
    help="Open an investigation with its own channel",
    usage="open <title>",
    after_ack=True,
    acknowledge=acknowledge_open,
)
def open_investigation(ctx: CommandContext) -> None:
    """Runs after the ack; the channel handler confirms through the response_url."""
    command = ctx.command
    investigation_open(
        title=title_of(ctx),
        opened_by=command.user_id,
        team_id=command.team_id,
        effect_context={"response_url": command.response_url, "origin_channel_id": command.channel_id},
    )
