"""manage.py slack_doctor: check the live Slack installation and say what to fix."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from slack_sdk.errors import SlackClientError

from slack_integration.installation import WHAT_TO_DO
from slack_integration.installation_check import MANIFEST, installation_check_run


class Command(BaseCommand):
    help = (
        "Check the Slack installation: auth.test, the issues channel, the response group and "
        "the granted scopes against the manifest. Records failures as installation problems "
        "(shown in /healthz and the admin) and resolves those that now pass. Exits 1 on any "
        "failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--manifest", type=Path, default=MANIFEST,
            help=f"The manifest whose bot scopes are expected (default: {MANIFEST.name}).",
        )

    def handle(self, *args: Any, manifest: Path, **options: Any) -> None:
        from slack_integration.client import api_base_url, slack_client

        if not settings.SLACK_BOT_TOKEN:
            raise CommandError("SLACK_BOT_TOKEN is not set: nothing to check.")
        self.stdout.write(f"Slack Web API at {api_base_url()}")
        try:
            findings = installation_check_run(slack_client(), manifest=manifest)
        except (SlackClientError, OSError) as error:
            raise CommandError(f"Slack could not be reached: {error}") from error
        for finding in findings:
            mark = "ok  " if finding.ok else "FAIL"
            self.stdout.write(f"{mark} {finding.check}: {finding.detail}")
            if not finding.ok and finding.code in WHAT_TO_DO:
                self.stdout.write(f"     → {WHAT_TO_DO[finding.code]}")
        failures = [finding for finding in findings if not finding.ok]
        if failures:
            raise CommandError(f"{len(failures)} check(s) failed.")
        self.stdout.write(self.style.SUCCESS("The Slack installation looks healthy."))
