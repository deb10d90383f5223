"""App config for the Slack integration."""

from django.apps import AppConfig


class SlackIntegrationConfig(AppConfig):
    name = "slack_integration"
    verbose_name = "Slack integration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # System checks, and the /case subcommands (other apps add theirs).
        from slack_integration import checks, commands  # noqa: F401

        # Outbox handlers register themselves on import.
        from slack_integration.handlers import (  # noqa: F401
            announcement,
            closing,
            evidence,
            export,
            incident,
            invites,
            open_channel,
            pagerduty,
        )
