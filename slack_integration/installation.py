"""Installation health: Slack refusals that mean Case itself is misconfigured.

A revoked or invalid token, a deactivated workspace, or the bot removed from
the issues channel breaks every user's action until an admin fixes it. Such a
refusal is recorded once as an open `InstallationProblem` (shown by /healthz
and the admin); users get `MISCONFIGURED_REPLY` instead of a silent failure;
a later successful check (`slack_installation_check`, `manage.py slack_doctor`)
resolves it.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

MISCONFIGURED_MESSAGE = "Case is misconfigured, tell your admin."
MISCONFIGURED_REPLY = f"⚠️ {MISCONFIGURED_MESSAGE} (The details are in /healthz and the admin.)"

# Errors that break every call, whatever the method (token or workspace level).
TOKEN_ERRORS = frozenset(
    {"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed",
     "team_access_not_granted", "missing_scope"}
)
# Errors that are installation problems only on a channel Case depends on.
CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
GROUP_ERRORS = frozenset({"no_such_subteam", "subteam_not_found"})

WHAT_TO_DO = {
    "invalid_auth": "SLACK_BOT_TOKEN is wrong: copy the Bot User OAuth Token again.",
    "not_authed": "SLACK_BOT_TOKEN is not set.",
    "account_inactive": "The app was uninstalled or the workspace deactivated: reinstall Case.",
    "token_revoked": "The bot token was revoked: reinstall Case and update SLACK_BOT_TOKEN.",
    "token_expired": "The bot token expired: turn off token rotation or refresh it.",
    "team_access_not_granted": "The app is not installed in this workspace.",
    "missing_scope": "A scope is missing: reinstall the app from slack_integration/manifest.yml.",
    "not_in_channel": "The bot was removed from the issues channel: /invite @Case there.",
    "channel_not_found": "ISSUES_CHANNEL_ID names no channel the bot can see.",
    "is_archived": "The issues channel is archived: unarchive it or set ISSUES_CHANNEL_ID.",
    "no_such_subteam": "INCIDENT_RESPONSE_GROUP_ID names no user group.",
}


class InstallationProblem(models.Model):
    """One misconfiguration Slack reported, open until a check finds it fixed."""

    code = models.CharField(max_length=64)
    # The channel or group the error was about; "" for token-level errors.
    subject = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=64, blank=True)
    occurrences = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "slack_integration"
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "subject"],
                condition=models.Q(resolved_at__isnull=True),
                name="installation_problem_open_once",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        where = f" ({self.subject})" if self.subject else ""
        return f"Slack {self.code}{where}: {WHAT_TO_DO.get(self.code, 'see manage.py slack_doctor')}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "subject": self.subject,
            "method": self.method,
            "occurrences": self.occurrences,
            "first_seen_at": self.first_seen_at.isoformat(),
            "last_seen_at": self.last_seen_at.isoformat(),
            "what_to_do": WHAT_TO_DO.get(self.code, ""),
        }


def installation_error_subject(code: str, *, channel: str = "", usergroup: str = "") -> str | None:
    """The subject to record `code` under, or None when it is not an installation problem.

    `not_in_channel` about an investigation's own channel is that channel's
    business; about the issues channel it breaks every announcement.
    """
    if code in TOKEN_ERRORS:
        return ""
    if code in CHANNEL_ERRORS and channel and channel == settings.ISSUES_CHANNEL_ID:
        return channel
    if code in GROUP_ERRORS and usergroup and usergroup == settings.INCIDENT_RESPONSE_GROUP_ID:
        return usergroup
    return None


def installation_problem_record(
    *, code: str, method: str = "", channel: str = "", usergroup: str = ""
) -> InstallationProblem | None:
    """Record a Slack refusal if it is an installation problem; None otherwise.

    Idempotent per (code, subject): a repeat bumps the open row's count.
    """
    subject = installation_error_subject(code, channel=channel, usergroup=usergroup)
    if subject is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        problem, created = InstallationProblem.objects.select_for_update().get_or_create(
            code=code, subject=subject, resolved_at__isnull=True,
            defaults={"method": method, "first_seen_at": now, "last_seen_at": now},
        )
        if not created:
            InstallationProblem.objects.filter(pk=problem.pk).update(
                occurrences=F("occurrences") + 1, last_seen_at=now, method=method or problem.method
            )
            problem.refresh_from_db()
    return problem


def installation_problems_resolve(*, codes: frozenset[str] | set[str], subject: str = "") -> int:
    """Close the open problems with these codes about `subject`: a check passed."""
    return InstallationProblem.objects.filter(
        code__in=codes, subject=subject, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())


def installation_problems_open() -> list[InstallationProblem]:
    return list(InstallationProblem.objects.filter(resolved_at__isnull=True))


def _slack_refusal(error: BaseException | None) -> tuple[str, str]:
    """(error code, channel) of the Slack refusal behind `error`, or ("", "")."""
    from slack_sdk.errors import SlackApiError

    while error is not None and not isinstance(error, SlackApiError):
        error = error.__cause__ or error.__context__
    if error is None or error.response is None:
        return "", ""
    request = getattr(error.response, "req_args", None) or {}
    arguments = {**(request.get("params") or {}), **(request.get("data") or {}),
                 **(request.get("json") or {})}
    return str(error.response.get("error", "")), str(arguments.get("channel", ""))


def installation_reply(error: BaseException | None = None) -> str | None:
    """The reply for a user whose action failed, when the installation is to blame.

    A Slack refusal behind `error` that means misconfiguration is recorded
    first; then any open problem makes the answer "tell your admin", since
    trying again cannot help. None when the installation looks healthy.
    """
    try:
        code, channel = _slack_refusal(error)
        if code:
            installation_problem_record(code=code, channel=channel)
        return MISCONFIGURED_REPLY if installation_problems_open() else None
    except Exception:  # an error path must not fail in turn (e.g. the database is down)
        logger.warning("slack.installation_reply_failed", exc_info=True)
        return None
