"""The running sandbox: its workspace, its signing secret, and the settings it sets.

One sandbox per process, registered by `manage.py case_sandbox` once its
server has a port; the sandbox views answer 404 while none is registered.
"""

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from slack_integration.fakes.slack_api import TEAM_DOMAIN, TEAM_ID, FakeSlack
from slack_integration.sandbox.workspace import ISSUES_CHANNEL_ID, RESPONSE_GROUP_ID


@dataclass
class Sandbox:
    fake: FakeSlack
    events_url: str  # this server's own /slack/events, over loopback
    signing_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    team_id: str = TEAM_ID
    team_domain: str = TEAM_DOMAIN


_current: Sandbox | None = None


def sandbox_register(sandbox: Sandbox | None) -> None:
    global _current
    _current = sandbox


def sandbox_current() -> Sandbox | None:
    """The registered sandbox, or None when sandbox mode is off."""
    if not getattr(settings, "SANDBOX_ENABLED", False):
        return None
    return _current


def sandbox_settings(fake: FakeSlack, signing_secret: str) -> dict[str, Any]:
    """The settings that wire Case to the workspace, and keep it off the network.

    PagerDuty is switched off and the workspace allow-list cleared whatever
    the environment says: a sandbox must never page anyone or talk to a
    real Slack. Cookies are not HTTPS-only, since the sandbox serves http.
    """
    return {
        "SANDBOX_ENABLED": True,
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_BASE_URL": fake.api_url,
        "ISSUES_CHANNEL_ID": ISSUES_CHANNEL_ID,
        "INCIDENT_RESPONSE_GROUP_ID": RESPONSE_GROUP_ID,
        "ALLOWED_WORKSPACE_IDS": [],
        "EXPORT_AUTHORIZED_USERS": [],
        "PAGERDUTY_ROUTING_KEY": "",
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": True,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        # Serve static files from the apps, unhashed: no collectstatic needed.
        "STORAGES": settings.STORAGES | {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        },
    }
