"""Installation health: misconfigurations found, recorded once, shown, resolved; slack_doctor."""

import io
from pathlib import Path

import pytest
import redis
import yaml
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from case_project.tasks import slack_installation_check_task
from investigations.outbox import PermanentDeliveryError
from slack_integration import client as slack_client_module
from slack_integration.client import slack_errors_as_delivery_errors
from slack_integration.fakes.slack_api import BOT_USER_ID, SCOPES_GRANTED
from slack_integration.installation import (
    MISCONFIGURED_MESSAGE,
    InstallationProblem,
    installation_problem_record,
    installation_problems_open,
    installation_reply,
)
from slack_integration.installation_check import installation_check_soon

pytestmark = pytest.mark.django_db

ISSUES = "C0ISSUES01"


@pytest.fixture
def slack(fake_slack):
    """The seeded fake, answering conversations.info with `is_member` as Slack does."""
    plain_info = fake_slack.api_conversations_info

    def info(params: dict) -> dict:
        body = plain_info(params)
        body["channel"]["is_member"] = BOT_USER_ID in fake_slack.channels[params["channel"]]["members"]
        return body

    fake_slack.api_conversations_info = info
    return fake_slack


@pytest.fixture
def manifest(tmp_path) -> Path:
    """A manifest requesting exactly the scopes the fake grants."""
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump({"oauth_config": {"scopes": {"bot": list(SCOPES_GRANTED)}}}))
    return path


def doctor(manifest: Path) -> str:
    out = io.StringIO()
    call_command("slack_doctor", manifest=manifest, stdout=out)
    return out.getvalue()


def failing_doctor(manifest: Path) -> tuple[str, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("slack_doctor", manifest=manifest, stdout=out)
    return out.getvalue(), str(failure.value)


def test_a_healthy_installation(slack, manifest):
    output = doctor(manifest)
    assert f"ok   auth: team Case Test (T0CASE0001), bot user case ({BOT_USER_ID})" in output
    assert f"ok   scopes: all {len(SCOPES_GRANTED)} scopes of manifest.yml" in output
    assert f"ok   issues_channel: #issues ({ISSUES}): the bot is a member" in output
    assert "ok   response_group: S0RESPOND1: 2 member(s)" in output
    assert "The Slack installation looks healthy." in output
    assert [call.method for call in slack.calls] == [
        "auth.test", "conversations.info", "usergroups.users.list",
    ]
    assert installation_problems_open() == []


def test_invalid_token_is_recorded_and_resolved_once_fixed(slack, manifest, settings, client):
    settings.SLACK_BOT_TOKEN = "xoxb-revoked-token"
    output, error = failing_doctor(manifest)
    assert "FAIL auth: auth.test: invalid_auth" in output
    assert "→ SLACK_BOT_TOKEN is wrong" in output
    assert error == "1 check(s) failed."
    assert client.get("/healthz").json()["degraded"] == ["slack"]
    assert MISCONFIGURED_MESSAGE in installation_reply()

    settings.SLACK_BOT_TOKEN = slack.token
    doctor(manifest)
    assert installation_problems_open() == []
    assert installation_reply() is None
    assert InstallationProblem.objects.get().resolved_at is not None


def test_inactive_account(slack, manifest):
    slack.fail("auth.test", "account_inactive")
    output, _ = failing_doctor(manifest)
    assert "→ The app was uninstalled or the workspace deactivated" in output
    assert [(p.code, p.subject) for p in installation_problems_open()] == [("account_inactive", "")]


def test_bot_removed_from_the_issues_channel(slack, manifest):
    slack.channels[ISSUES]["members"].discard(BOT_USER_ID)
    output, _ = failing_doctor(manifest)
    assert f"FAIL issues_channel: the bot is not in #issues ({ISSUES})" in output
    assert [(p.code, p.subject) for p in installation_problems_open()] == [
        ("not_in_channel", ISSUES),
    ]

    slack.channels[ISSUES]["members"].add(BOT_USER_ID)
    doctor(manifest)
    assert installation_problems_open() == []


def test_issues_channel_missing_or_archived(slack, manifest, settings):
    settings.ISSUES_CHANNEL_ID = "C0DELETED1"
    output, _ = failing_doctor(manifest)
    assert "FAIL issues_channel: C0DELETED1: channel_not_found" in output
    settings.ISSUES_CHANNEL_ID = ISSUES
    slack.channels[ISSUES]["is_archived"] = True
    output, _ = failing_doctor(manifest)
    assert f"FAIL issues_channel: #issues ({ISSUES}) is archived" in output
    assert {p.code for p in installation_problems_open()} == {"channel_not_found", "is_archived"}


def test_missing_response_group(slack, manifest, settings):
    settings.INCIDENT_RESPONSE_GROUP_ID = "S0GONE0001"
    output, _ = failing_doctor(manifest)
    assert "FAIL response_group: S0GONE0001: no_such_subteam" in output
    assert [(p.code, p.subject) for p in installation_problems_open()] == [
        ("no_such_subteam", "S0GONE0001"),
    ]


def test_scopes_missing_from_the_token_and_unused_extras(slack, tmp_path):
    wanted = [scope for scope in SCOPES_GRANTED if scope != "files:write"] + ["reactions:write"]
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump({"oauth_config": {"scopes": {"bot": wanted}}}))
    output, _ = failing_doctor(path)
    assert "FAIL scopes: missing reactions:write: reinstall the app from manifest.yml" in output
    assert "ok   scopes: granted but unused: files:write" in output
    assert [p.code for p in installation_problems_open()] == ["missing_scope"]


def test_the_shipped_manifest_is_what_the_doctor_compares_with(slack):
    from slack_integration.installation_check import MANIFEST, manifest_scopes

    if not MANIFEST.exists():
        pytest.skip(f"{MANIFEST} is not in this checkout yet")
    out = io.StringIO()
    call_command("slack_doctor", stdout=out)  # the fake grants what the manifest asks
    assert f"ok   scopes: all {len(manifest_scopes(MANIFEST))} scopes of manifest.yml" in out.getvalue()


def test_doctor_refuses_without_a_token(settings):
    settings.SLACK_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="SLACK_BOT_TOKEN is not set"):
        call_command("slack_doctor", stdout=io.StringIO())


def test_doctor_says_when_slack_cannot_be_reached(settings, manifest):
    settings.SLACK_BOT_TOKEN = "xoxb-1-2-3"
    settings.SLACK_API_BASE_URL = "http://127.0.0.1:9/api/"
    slack_client_module._client.cache_clear()
    with pytest.raises(CommandError, match="Slack could not be reached"):
        call_command("slack_doctor", manifest=manifest, stdout=io.StringIO())
    slack_client_module._client.cache_clear()


def test_the_periodic_check_records_and_is_quiet_without_slack(slack, settings):
    slack.channels[ISSUES]["members"].discard(BOT_USER_ID)
    assert slack_installation_check_task.delay().get() >= 1
    assert "not_in_channel" in {p.code for p in installation_problems_open()}
    settings.SLACK_BOT_TOKEN = ""
    calls = len(slack.calls)
    assert slack_installation_check_task.delay().get() == 0
    assert len(slack.calls) == calls


def test_a_repeat_is_counted_on_the_one_open_problem(settings):
    settings.ISSUES_CHANNEL_ID = ISSUES
    for _ in range(3):
        installation_problem_record(code="not_in_channel", method="chat.postMessage",
                                    channel=ISSUES)
    (problem,) = installation_problems_open()
    assert problem.occurrences == 3


def test_only_the_issues_channel_is_an_installation_matter(settings):
    settings.ISSUES_CHANNEL_ID = ISSUES
    assert installation_problem_record(code="not_in_channel", channel="C0CASECHAN1") is None
    assert installation_problem_record(code="name_taken") is None
    assert installation_problems_open() == []


def refused(code: str) -> None:
    """A Slack call inside the handlers' error translation, refused with `code`."""
    response = SlackResponse(client=None, http_verb="POST", api_url="", req_args={},
                             data={"ok": False, "error": code}, headers={}, status_code=200)
    with slack_errors_as_delivery_errors("chat.postMessage"):
        raise SlackApiError(code, response)


def test_a_delivery_refused_for_the_token_asks_a_worker_to_check(settings, redis_broker):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    with pytest.raises(PermanentDeliveryError, match=r"chat\.postMessage: token_revoked"):
        refused("token_revoked")
    assert cache.get("case:slack-installation-check-soon") == "token_revoked"
    queued = redis.Redis.from_url(redis_broker).lrange("celery", 0, -1)
    assert any(b"slack_integration.installation_check" in body for body in queued)
    # Throttled: one check a minute however many deliveries fail.
    assert installation_check_soon("invalid_auth") is False


def test_check_soon_ignores_other_errors_and_local_runs(settings):
    assert installation_check_soon("token_revoked") is False  # eager: nothing to queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert installation_check_soon("name_taken") is False


def test_admin_lists_problems_with_what_to_do_and_resolves_them(client, settings):
    settings.ISSUES_CHANNEL_ID = ISSUES
    problem = installation_problem_record(code="not_in_channel", channel=ISSUES)
    client.force_login(User.objects.create_superuser("admin", "a@example.com", "pw"))
    page = client.get("/admin/slack_integration/installationproblem/?state=open")
    assert page.status_code == 200
    assert "/invite @Case there." in page.content.decode()
    client.post("/admin/slack_integration/installationproblem/",
                {"action": "mark_resolved", "_selected_action": [problem.pk]})
    assert installation_problems_open() == []


def test_a_refused_post_to_the_issues_channel_is_recorded_with_the_channel(slack):
    from slack_integration.client import slack_client

    slack.channels[ISSUES]["members"].discard(BOT_USER_ID)
    with pytest.raises(SlackApiError) as refusal:
        slack_client().chat_postMessage(channel=ISSUES, text="New case")
    assert MISCONFIGURED_MESSAGE in installation_reply(refusal.value)
    assert [(p.code, p.subject) for p in installation_problems_open()] == [
        ("not_in_channel", ISSUES),
    ]
