"""System checks for the project's own settings, and the level of an integration's."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

# The commands that serve Slack and PagerDuty (or exist to report on them):
# there a problem with an integration's settings is an Error that stops them.
INTEGRATION_COMMANDS = frozenset(
    {"check", "runserver", "case_run", "slack_socket_mode", "slack_doctor"}
)


def running_command() -> str | None:
    """The manage.py (or django-admin) subcommand this process runs, else None."""
    if len(sys.argv) < 2:
        return None
    program = Path(sys.argv[0])
    if program.name in {"manage.py", "django-admin"} or (
        program.name == "__main__.py" and program.parent.name == "django"
    ):
        return sys.argv[1]
    return None


def integration_problem(msg: str, *, hint: str, id: str) -> CheckMessage:
    """An Error under `manage.py check` and the commands that need the integration;
    a Warning, shown but not stopping it, for any other command (migrate,
    createsuperuser, export_cases…), which does not need Slack or PagerDuty."""
    command = running_command()
    level = Error if command is None or command in INTEGRATION_COMMANDS else Warning
    return level(msg, hint=hint, id=id)


@register()
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """DJANGO_SECRET_KEY must be set unless DEBUG is on."""
    if settings.DEBUG or settings.SECRET_KEY_FROM_ENV:
        return []
    return [
        Error(
            "DJANGO_SECRET_KEY is not set.",
            hint="Set DJANGO_SECRET_KEY to a long random string (or DEBUG=true for local use).",
            id="case.E001",
        )
    ]


@register()
def check_database_url(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """DATABASE_URL must name an engine Case supports."""
    if not settings.DATABASE_URL_PROBLEM:
        return []
    return [
        Error(
            f"DATABASE_URL is not usable: {settings.DATABASE_URL_PROBLEM}.",
            hint="Use postgres://user@host:5432/name, postgresql://…, or sqlite:///path.",
            id="case.E002",
        )
    ]


@register()
def check_readable_values(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Numbers and switches must parse; a bad one was replaced by its default."""
    from case_project.env import PROBLEMS

    return [
        Error(
            f"{problem}; Case is using the default instead.",
            hint=f"Fix {name} in the environment or .env, or leave it empty for the default "
            "(see .env.example).",
            id="case.E003",
        )
        for name, problem in sorted(PROBLEMS.items())
    ]
