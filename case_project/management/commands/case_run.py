"""`manage.py case_run`: start Case on Slack if it is configured, else the local sandbox."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Start Case (what `make run` does). With SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set, "
        "serve Slack's requests (runserver); without them, start the local sandbox "
        "(manage.py case_sandbox) instead of failing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="8000",
                            help="Port, or host:port (default 8000, on 127.0.0.1).")
        parser.add_argument("--noreload", action="store_true",
                            help="With Slack: run without the autoreloader.")

    def handle(self, *args: Any, addrport: str, noreload: bool, **options: Any) -> None:
        host, _, port = addrport.rpartition(":")
        if not port.isdigit():
            raise CommandError(f"{addrport!r} is not a port or host:port.")
        host = host.strip("[]") or "127.0.0.1"
        from slack_integration.client import slack_enabled

        if slack_enabled():
            self.stdout.write("Slack credentials found: serving Slack's requests at /slack/events.")
            call_command("runserver", f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
                         use_reloader=not noreload)
            return
        self.stdout.write(
            "No Slack credentials (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET): starting the sandbox. "
            "To use a real workspace, see \"Connect to Slack\" in the README."
        )
        call_command("case_sandbox", host=host, port=int(port))
