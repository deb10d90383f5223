"""`/case status`: the investigation of this channel."""

from django.utils import timezone

from investigations.selectors import incident_pagerduty_status, outbox_failures_for
from slack_integration.blocks.status import status_message
from slack_integration.commands.registry import CommandContext, Reply, subcommand


@subcommand(
    "status",
    help="Show this investigation's state, incident and PagerDuty page",
    usage="status",
    in_case_channel=True,
)
def show_status(ctx: CommandContext) -> Reply:
    investigation = ctx.case()
    # Loaded with the investigation (investigation_get_by_channel): not read again,
    # nor the outbox while nothing failed.
    incident = getattr(investigation, "incident", None)
    content = status_message(
        investigation,
        pagerduty=incident_pagerduty_status(investigation=investigation, incident=incident),
        now=timezone.now(),
        failures=outbox_failures_for(
            investigation=investigation, any_failed=getattr(investigation, "any_failed_delivery", True)
        ),
    )
    return Reply.of_message(content)
