"""`manage.py slack_socket_mode`: serve Case to Slack over Socket Mode."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from slack_integration.client import slack_enabled


class Command(BaseCommand):
    help = (
        "Connect Case to Slack over Socket Mode (no public request URL needed). "
        "Needs SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and an app-level SLACK_APP_TOKEN (xapp-…); "
        "create the app from slack_integration/manifest.socket.yml."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not slack_enabled():
            raise CommandError(
                "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET."
            )
        app_token = settings.SLACK_APP_TOKEN
        if not app_token.startswith("xapp-"):
            raise CommandError(
                "SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write: "
                "the app's 'Basic Information' page, 'App-Level Tokens'."
            )
        from slack_integration.socket_mode import socket_mode_handler

        handler = socket_mode_handler(app_token)
        self.stdout.write("Case is connecting to Slack over Socket Mode; Ctrl-C stops it.")
        try:
            handler.start()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            handler.close()
