"""`/case stats [7d|30d|12w]`: the operational dashboard, for the asker only."""

from django.utils import timezone

from reporting.metrics import metrics_report
from reporting.periods import DEFAULT_DAYS, Period, PeriodError, parse_span
from slack_integration.blocks.stats import TEAM_SHOWN, range_label, stats_message
from slack_integration.commands.registry import CommandContext, CommandRefused, Reply, subcommand


def range_days(args: str) -> int:
    """Days asked for ("" is the default week); refuse what cannot be read."""
    if not args.strip():
        return DEFAULT_DAYS
    try:
        return parse_span(args).days
    except PeriodError as error:
        raise CommandRefused(error.message) from None


def check_range(ctx: CommandContext) -> Reply | None:
    range_days(ctx.args)  # a bad range is refused in the ack; the figures follow it
    return None


@subcommand(
    "stats",
    help="Operational dashboard: activity, escalation rate, MTTR, team",
    usage="stats [7d|30d|12w]",
    after_ack=True,  # aggregates over the whole history: not inside Slack's 3 s
    acknowledge=check_range,
)
def show_stats(ctx: CommandContext) -> Reply:
    days = range_days(ctx.args)
    now = timezone.now()
    report = metrics_report(period=Period.last(days=days, now=now), now=now, team_limit=TEAM_SHOWN)
    content = stats_message(report, label=range_label(days))
    return Reply.of_message(content)
