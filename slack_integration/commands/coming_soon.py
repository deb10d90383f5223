"""Placeholders for subcommands other modules implement; a real one replaces each."""

from slack_integration.commands.registry import CommandContext, Reply, subcommand

PLACEHOLDERS = {
    "incident": ("Escalate to an incident; you become its commander", "incident", True),
    "resolve": ("Resolve the incident when service is restored", "resolve", True),
    "transfer": ("Hand the incident commander role to someone", "transfer @person", True),
    "close": ("Close the investigation and archive its channel", "close", True),
    "stats": ("Operational dashboard and metrics", "stats", False),
    "export": ("Export the investigations as CSV", "export", False),
}


def coming_soon(ctx: CommandContext) -> Reply:
    return Reply.ephemeral(f"🚧 `/case {ctx.name}` is coming soon.")


for _name, (_help, _usage, _in_case_channel) in PLACEHOLDERS.items():
    subcommand(
        _name, help=_help, usage=_usage, in_case_channel=_in_case_channel, placeholder=True
    )(coming_soon)
