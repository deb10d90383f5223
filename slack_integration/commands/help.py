"""`/case help`: generated from the registry, so it is always complete."""

from slack_integration.blocks.help import HelpEntry, help_message
from slack_integration.commands.registry import CommandContext, Reply, subcommand, subcommands


def help_entries() -> list[HelpEntry]:
    return [
        HelpEntry(usage=spec.usage, help=spec.help, in_case_channel=spec.in_case_channel)
        for spec in subcommands()
    ]


@subcommand("help", help="Show this help", usage="help")
def show_help(ctx: CommandContext) -> Reply:
    content = help_message(help_entries())
    return Reply.of_message(content)
