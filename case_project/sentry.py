"""Optional error reports to Sentry, on when SENTRY_DSN is set and sentry-sdk is installed.

sentry-sdk is the optional extra `case[sentry]`; without it Case runs as
before and the system check case.W003 says why no report is sent.
"""

import importlib.util
from typing import Any


def sentry_available() -> bool:
    return importlib.util.find_spec("sentry_sdk") is not None


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Redact tokens and secrets from an event before it leaves the process."""
    from case_project.logs import redact_data

    return redact_data(event)


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Start the Sentry SDK for Django and Celery; False when it is not installed.

    Called from the settings, so it must never raise: a missing package or a
    bad DSN is reported by a system check, not by a crash at start-up.
    """
    if not dsn or not sentry_available():
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            integrations=[DjangoIntegration(), CeleryIntegration()],
            traces_sample_rate=traces_sample_rate,
            send_default_pii=False,  # Slack user ids are enough; no cookies, no bodies
            before_send=_scrub,
            before_send_transaction=_scrub,
        )
    except Exception:  # e.g. sentry_sdk.utils.BadDsn; reported by check case.W003
        return False
    return True
