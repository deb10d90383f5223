"""`/case incident` and `/case resolve`, in the investigation's channel.

Thin: the service changes the state (row-locked, so ten concurrent
escalations make one incident) and records the notices in the outbox; the
invoker gets a short reply, the channel the visible notice.
"""

from investigations.services import incident_resolve, investigation_escalate
from slack_integration.blocks.incident import escalated_reply, resolved_reply
from slack_integration.commands.registry import CommandContext, Reply, subcommand


@subcommand(
    "incident",
    help="Escalate to an incident; you become its commander",
    usage="incident",
    in_case_channel=True,
)
def escalate(ctx: CommandContext) -> Reply:
    investigation = ctx.case()
    investigation_escalate(investigation_id=investigation.pk, actor=ctx.command.user_id)
    return Reply.ephemeral(escalated_reply(investigation))


@subcommand(
    "resolve",
    help="Resolve the incident when service is restored (the case stays open)",
    usage="resolve",
    in_case_channel=True,
)
def resolve(ctx: CommandContext) -> Reply:
    investigation = ctx.case()
    incident = incident_resolve(investigation_id=investigation.pk, actor=ctx.command.user_id)
    return Reply.ephemeral(resolved_reply(investigation, incident))
