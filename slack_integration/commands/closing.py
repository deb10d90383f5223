"""`/case close`: a summary in the channel, then the channel archived (outbox)."""

from investigations.services import investigation_close
from slack_integration.blocks.closing import closed_reply
from slack_integration.commands.registry import CommandContext, Reply, subcommand


@subcommand(
    "close",
    help="Close the investigation: a summary, then the channel is archived",
    usage="close",
    in_case_channel=True,
)
def close(ctx: CommandContext) -> Reply:
    investigation = investigation_close(
        investigation_id=ctx.case().pk, actor=ctx.command.user_id
    )
    return Reply.ephemeral(closed_reply(investigation))
