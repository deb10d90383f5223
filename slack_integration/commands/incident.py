"""`/case incident` and `/case resolve`, in the investigation's channel.

Thin: the service changes the state (row-locked, so ten concurrent
escalations make one incident) and records the notices in the outbox; the
invoker gets a short reply, the channel the visible notice.
"""

from investigations.services import incident_resolve, investigation_escalate
from slack_integration.blocks.incident import escalated_reply, resolved_reply
from slack_integration.commands.registry import CommandContext, CommandRefused, Reply, subcommand


def case_of(ctx: CommandContext) -> int:
    """The id of the channel's investigation (the router guarantees one)."""
    if ctx.investigation is None:
        raise CommandRefused(f"`/case {ctx.name}` works only in an investigation's channel.")
    return ctx.investigation.pk


@subcommand(
    "incident",
    help="Escalate to an incident; you become its commander",
    usage="incident",
    in_case_channel=True,
)
def escalate(ctx: CommandContext) -> Reply:
    investigation_escalate(investigation_id=case_of(ctx), actor=ctx.command.user_id)
    return Reply.ephemeral(escalated_reply(ctx.investigation))


@subcommand(
    "resolve",
    help="Resolve the incident when service is restored (the case stays open)",
    usage="resolve",
    in_case_channel=True,
)
def resolve(ctx: CommandContext) -> Reply:
    incident = incident_resolve(investigation_id=case_of(ctx), actor=ctx.command.user_id)
    return Reply.ephemeral(resolved_reply(ctx.investigation, incident))
