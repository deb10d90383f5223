"""`/case list` (and `/case` alone): the open investigations."""

from django.utils import timezone

from investigations.selectors import investigation_list_open
from slack_integration.blocks.listing import MAX_LISTED, investigation_list_message
from slack_integration.commands.registry import CommandContext, Reply, subcommand


@subcommand("list", help="List the open investigations", usage="list")
def list_investigations(ctx: CommandContext) -> Reply:
    open_ones = investigation_list_open()
    shown = list(open_ones[: MAX_LISTED + 1])
    total = len(shown) if len(shown) <= MAX_LISTED else open_ones.count()
    content = investigation_list_message(shown, total=total, now=timezone.now())
    return Reply.of_message(content)
