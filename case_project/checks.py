"""System checks for the project's own settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


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
