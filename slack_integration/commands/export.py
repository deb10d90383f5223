"""`/case export [30d]`: the investigations as CSV, built by a worker, sent as a DM."""

from django.conf import settings

from reporting.exports import export_request
from slack_integration.commands.registry import CommandContext, CommandRefused, Reply, subcommand
from slack_integration.commands.stats import range_days

NOT_AUTHORISED = (
    "🔒 Only the people listed in EXPORT_AUTHORIZED_USERS may export. "
    "Ask whoever runs Case to add you."
)
ON_ITS_WAY = "⏳ Building your export; the CSV will arrive in a direct message from Case."


def authorise(ctx: CommandContext) -> Reply:
    """Refuse people not on a set, non-empty EXPORT_AUTHORIZED_USERS; check the range."""
    allowed = settings.EXPORT_AUTHORIZED_USERS
    if allowed and ctx.command.user_id not in allowed:
        raise CommandRefused(NOT_AUTHORISED)
    range_days(ctx.args)
    return Reply.ephemeral(ON_ITS_WAY)


@subcommand(
    "export",
    help="Export the investigations as CSV, sent to you as a direct message",
    usage="export [30d]",
    after_ack=True,
    acknowledge=authorise,
)
def export(ctx: CommandContext) -> None:
    command = ctx.command
    export_request(
        user_id=command.user_id,
        response_url=command.response_url,
        days=range_days(ctx.args) if ctx.args.strip() else None,
        request_id=command.trigger_id,
    )
