"""System checks for the PagerDuty settings (errors, never import-time crashes)."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, register

from case_project.checks import integration_problem
from investigations.pagerduty.payloads import SEVERITIES

ROUTING_KEY_LENGTH = 32


@register()
def check_pagerduty_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With PAGERDUTY_ROUTING_KEY set, the key, URL and severity must be usable.

    Errors for `manage.py check` and the serving commands, warnings for others
    (see `case_project.checks.integration_problem`).
    """
    key = settings.PAGERDUTY_ROUTING_KEY
    if not key:
        return []  # paging is off
    errors = []
    if len(key) != ROUTING_KEY_LENGTH:
        errors.append(
            integration_problem(
                f"PAGERDUTY_ROUTING_KEY is {len(key)} characters long; "
                f"PagerDuty integration keys are {ROUTING_KEY_LENGTH}.",
                hint="Copy the Integration Key of the service's Events API v2 integration, "
                "or leave PAGERDUTY_ROUTING_KEY empty to turn paging off.",
                id="pagerduty.E001",
            )
        )
    url = urlsplit(settings.PAGERDUTY_EVENTS_URL)
    if url.scheme not in {"http", "https"} or not url.netloc:
        errors.append(
            integration_problem(
                f"PAGERDUTY_EVENTS_URL is not an http(s) URL: {settings.PAGERDUTY_EVENTS_URL!r}.",
                hint="Use https://events.pagerduty.com/v2/enqueue "
                "(EU accounts: https://events.eu.pagerduty.com/v2/enqueue).",
                id="pagerduty.E002",
            )
        )
    if settings.PAGERDUTY_SEVERITY not in SEVERITIES:
        errors.append(
            integration_problem(
                f"PAGERDUTY_SEVERITY is {settings.PAGERDUTY_SEVERITY!r}.",
                hint=f"Use one of: {', '.join(SEVERITIES)}.",
                id="pagerduty.E003",
            )
        )
    return errors
