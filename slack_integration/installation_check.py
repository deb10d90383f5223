"""Check a live Slack installation: token, issues channel, response group, scopes.

`installation_check()` asks Slack and returns findings (what `manage.py
slack_doctor` prints); `installation_check_run()` also records each failure as
an open InstallationProblem and resolves the ones that now pass (the periodic
task and the doctor). A delivery that meets an installation error asks for a
check soon (`installation_check_soon`) rather than writing the problem itself:
its own writes are rolled back with the failed delivery.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from slack_integration.client import slack_client, slack_enabled, slack_error_code
from slack_integration.installation import (
    CHANNEL_ERRORS,
    GROUP_ERRORS,
    TOKEN_ERRORS,
    installation_problem_record,
    installation_problems_resolve,
)

logger = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parent / "manifest.yml"
# At most one check per this many seconds, however many deliveries fail.
CHECK_SOON_THROTTLE_SECONDS = 60


@dataclass(frozen=True)
class Finding:
    check: str  # auth | scopes | issues_channel | response_group
    ok: bool
    detail: str
    code: str = ""  # the Slack error (or equivalent) that makes it an installation problem
    subject: str = ""  # the channel or group it is about


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    """The bot scopes the manifest requests."""
    import yaml

    manifest = yaml.safe_load(path.read_text())
    return set(manifest.get("oauth_config", {}).get("scopes", {}).get("bot", []) or [])


def _header(headers: object, name: str) -> str:
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return str(value)
    return ""


def check_auth(client: WebClient) -> tuple[Finding, set[str] | None]:
    """auth.test: the token works; also returns the scopes it was granted."""
    response = client.auth_test()
    raw = _header(response.headers, "x-oauth-scopes")
    granted = {scope.strip() for scope in raw.split(",") if scope.strip()} if raw else None
    detail = (
        f"team {response.get('team')} ({response.get('team_id')}), "
        f"bot user {response.get('user')} ({response.get('user_id')})"
    )
    return Finding("auth", True, detail), granted


def check_scopes(granted: set[str] | None, manifest: Path) -> list[Finding]:
    if granted is None:
        return [Finding("scopes", True, "Slack sent no X-OAuth-Scopes header; not compared")]
    try:
        wanted = manifest_scopes(manifest)
    except OSError as error:
        return [Finding("scopes", False, f"cannot read the manifest {manifest}: {error}")]
    missing, extra = sorted(wanted - granted), sorted(granted - wanted)
    findings = []
    if missing:
        findings.append(Finding(
            "scopes", False, f"missing {', '.join(missing)}: reinstall the app from {manifest.name}",
            code="missing_scope",
        ))
    else:
        findings.append(Finding("scopes", True, f"all {len(wanted)} scopes of {manifest.name}"))
    if extra:
        findings.append(Finding("scopes", True, f"granted but unused: {', '.join(extra)}"))
    return findings


def check_issues_channel(client: WebClient, channel: str) -> Finding:
    if not channel:
        return Finding("issues_channel", False, "ISSUES_CHANNEL_ID is not set")
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        code = slack_error_code(error)
        return Finding("issues_channel", False, f"{channel}: {code}", code=code, subject=channel)
    name = f"#{info.get('name', channel)} ({channel})"
    if info.get("is_archived"):
        return Finding("issues_channel", False, f"{name} is archived", "is_archived", channel)
    if info.get("is_member") is False:
        return Finding("issues_channel", False, f"the bot is not in {name}", "not_in_channel",
                       channel)
    return Finding("issues_channel", True, f"{name}: the bot is a member", subject=channel)


def check_response_group(client: WebClient, group: str) -> Finding:
    if not group:
        return Finding("response_group", True, "INCIDENT_RESPONSE_GROUP_ID is not set (optional)")
    try:
        users = client.usergroups_users_list(usergroup=group).get("users") or []
    except SlackApiError as error:
        code = slack_error_code(error)
        return Finding("response_group", False, f"{group}: {code}", code=code, subject=group)
    if not users:
        return Finding("response_group", True, f"{group} has no members: nobody would be invited",
                       subject=group)
    return Finding("response_group", True, f"{group}: {len(users)} member(s)", subject=group)


def installation_check(client: WebClient, *, manifest: Path = MANIFEST) -> list[Finding]:
    """Ask Slack about every part of the installation; never raises on a Slack refusal."""
    try:
        auth, granted = check_auth(client)
    except SlackApiError as error:
        code = slack_error_code(error)
        return [Finding("auth", False, f"auth.test: {code}", code=code)]
    return [
        auth,
        *check_scopes(granted, manifest),
        check_issues_channel(client, settings.ISSUES_CHANNEL_ID),
        check_response_group(client, settings.INCIDENT_RESPONSE_GROUP_ID),
    ]


def installation_check_run(client: WebClient, *, manifest: Path = MANIFEST) -> list[Finding]:
    """Check, then record each failure as a problem and resolve what passed."""
    findings = installation_check(client, manifest=manifest)
    for finding in findings:
        if finding.ok:
            _resolve_passed(finding)
        elif finding.code:
            installation_problem_record(
                code=finding.code, method=f"slack_doctor:{finding.check}",
                channel=finding.subject if finding.check == "issues_channel" else "",
                usergroup=finding.subject if finding.check == "response_group" else "",
            )
    return findings


def _resolve_passed(finding: Finding) -> None:
    if finding.check == "auth":
        installation_problems_resolve(codes=TOKEN_ERRORS - {"missing_scope"})
    elif finding.check == "scopes" and finding.detail.startswith("all "):
        installation_problems_resolve(codes={"missing_scope"})
    elif finding.check == "issues_channel":
        installation_problems_resolve(codes=CHANNEL_ERRORS, subject=finding.subject)
    elif finding.check == "response_group" and finding.subject:
        installation_problems_resolve(codes=GROUP_ERRORS, subject=finding.subject)


def installation_check_soon(code: str) -> bool:
    """Ask a worker to check the installation now, because a call failed with `code`.

    Throttled to one check a minute across processes (the shared cache). With
    no broker (local runs) nothing is queued: an inline check would run inside
    the failing delivery's transaction and be rolled back with it.
    """
    if code not in TOKEN_ERRORS | CHANNEL_ERRORS | GROUP_ERRORS:
        return False
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return False
    if not cache.add("case:slack-installation-check-soon", code, CHECK_SOON_THROTTLE_SECONDS):
        return False
    from case_project.tasks import slack_installation_check_task

    try:
        slack_installation_check_task.apply_async(retry=False)
    except Exception:  # a dead broker: the periodic check will still come
        logger.warning("slack.installation_check_not_queued code=%s", code, exc_info=True)
        return False
    return True


def installation_check_periodic() -> list[Finding]:
    """The beat task's body: check when Slack is enabled, quietly skip otherwise."""
    if not slack_enabled():
        return []
    try:
        findings = installation_check_run(slack_client())
    except (SlackClientError, OSError) as error:  # Slack unreachable: not a misconfiguration
        logger.warning("slack.installation_check_failed error=%s", type(error).__name__)
        return []
    for finding in findings:
        if not finding.ok:
            logger.error("slack.installation_problem check=%s detail=%s", finding.check,
                         finding.detail)
    return findings
