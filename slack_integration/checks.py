"""System checks for the Slack settings: presence and prefixes, nothing stricter.

Errors only when Slack is enabled (bot token and signing secret both set),
and only for `manage.py check` and the commands that serve Slack; any other
command (migrate, export_cases…) shows them as warnings and still runs.
When only one of the two is set, a warning says Slack stays off and why.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from case_project.checks import integration_problem
from slack_integration.client import slack_enabled

HINT_MANIFEST = "See the README, \"Connect to Slack\"."


@register()
def check_slack_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    bot_token, secret = settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET
    if not slack_enabled():
        if bot_token or secret:
            missing = "SLACK_SIGNING_SECRET" if bot_token else "SLACK_BOT_TOKEN"
            return [Warning(
                f"{missing} is not set, so Slack is disabled (/slack/events answers 503).",
                hint=f"Set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. {HINT_MANIFEST}",
                id="slack_integration.W001",
            )]
        return []
    problems: list[CheckMessage] = []
    if not settings.ISSUES_CHANNEL_ID:
        problems.append(integration_problem(
            "ISSUES_CHANNEL_ID is not set: new investigations have nowhere to be announced.",
            hint="Set it to the channel id (C…) where Case announces investigations.",
            id="slack_integration.E001",
        ))
    if not bot_token.startswith("xoxb-"):
        problems.append(integration_problem(
            "SLACK_BOT_TOKEN does not start with 'xoxb-'.",
            hint="Use the Bot User OAuth Token from the app's 'OAuth & Permissions' page.",
            id="slack_integration.E002",
        ))
    app_token = settings.SLACK_APP_TOKEN
    if app_token and not app_token.startswith("xapp-"):
        problems.append(integration_problem(
            "SLACK_APP_TOKEN does not start with 'xapp-'.",
            hint="Use an app-level token with the connections:write scope "
                 "('Basic Information' → 'App-Level Tokens'); only Socket Mode needs it.",
            id="slack_integration.E003",
        ))
    return problems
