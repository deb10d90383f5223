"""Who may use Case: workspaces, guests, Slack Connect, Grid members, rate limits."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from investigations.models import Evidence, Investigation
from slack_integration import guard
from slack_integration.fakes.requests import view_submission_body
from slack_integration.fakes.slack_api import TEAM_ID
from slack_integration.ratelimit import BLOCK_SECONDS, LIMIT, rate_limit_hit
from tests import services
from tests.slack_integration.cases import case_opened_in_slack
from tests.slack_integration.conftest import reply_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user_id", "message"),
    [
        ("U0GUEST001", guard.GUEST),  # multi-channel guest (is_restricted)
        ("U0SINGLE01", guard.GUEST),  # single-channel guest (is_ultra_restricted)
        ("U0STRANGE1", guard.STRANGER),  # Slack Connect (is_stranger)
    ],
    ids=["guest", "single-channel-guest", "slack-connect"],
)
def test_guests_and_outsiders_are_refused_first_after_the_ack_then_inline(slack, user_id, message):
    first = slack.command("open Let me in", user_id=user_id)
    assert reply_of(first) == {}  # looked up after the ack: nothing to show yet
    assert slack.fake.responses[-1]["text"] == message
    second = reply_of(slack.command("open Let me in", user_id=user_id))
    assert second == {"response_type": "ephemeral", "text": message}
    assert len(slack.fake.calls_to("users.info")) == 1  # the verdict is cached
    assert not Investigation.objects.exists()


def test_a_user_of_another_team_is_refused_even_without_the_stranger_flag(slack):
    slack.fake.add_user("U0OTHERTM1", name="outsider", team_id="T0ELSEWHR1")
    slack.command("list", user_id="U0OTHERTM1")
    assert slack.fake.responses[-1]["text"] == guard.STRANGER


def test_enterprise_grid_w_ids_are_members(slack):
    slack.command("help", user_id="W0DAVE0001")
    assert "Collect Evidence" in slack.fake.responses[-1]["text"]


def test_a_member_of_the_same_grid_org_from_a_sister_workspace_is_allowed(slack):
    slack.fake.enterprise_id = "E0CASEORG1"
    slack.fake.add_user("U0SISTER01", name="sister", team_id="T0SISTER01",
                        enterprise_id="E0CASEORG1")
    slack.command("help", user_id="U0SISTER01")
    assert "Collect Evidence" in slack.fake.responses[-1]["text"]


def test_a_deactivated_account_is_refused(slack):
    slack.fake.add_user("U0GONE0001", name="gone", deleted=True)
    slack.command("help", user_id="U0GONE0001")
    assert slack.fake.responses[-1]["text"] == guard.UNKNOWN_USER


def test_when_slack_cannot_say_the_person_is_refused_and_asked_again_next_time(slack):
    slack.fake.fail("users.info", "internal_error", status=500)
    slack.command("help")
    assert slack.fake.responses[-1]["text"] == guard.LOOKUP_FAILED
    slack.command("help")
    assert "Collect Evidence" in slack.fake.responses[-1]["text"]
    assert len(slack.fake.calls_to("users.info")) == 2


def test_a_workspace_not_allowed_is_refused_without_calling_slack(slack, settings):
    settings.ALLOWED_WORKSPACE_IDS = ["T0ALLOWED1"]
    reply = reply_of(slack.command("open Sneaky"))
    assert reply["text"] == guard.NOT_THIS_WORKSPACE
    assert slack.fake.calls == []
    assert not Investigation.objects.exists()


def test_allowed_workspaces_and_grid_orgs_pass(slack, settings):
    settings.ALLOWED_WORKSPACE_IDS = ["T0ALLOWED1", TEAM_ID]
    slack.command("help")
    assert "Collect Evidence" in slack.fake.responses[-1]["text"]
    body = slack.command_body("help").replace("is_enterprise_install", "enterprise_id=E0ORG00001&x")
    settings.ALLOWED_WORKSPACE_IDS = ["E0ORG00001"]
    assert "Collect Evidence" in json.dumps(reply_of(slack.post(body)))


def test_a_shortcut_from_a_workspace_not_allowed_is_refused_on_its_response_url(slack, settings):
    settings.ALLOWED_WORKSPACE_IDS = ["T0ALLOWED1"]
    response = slack.shortcut()
    assert reply_of(response) == {}
    assert slack.fake.responses[-1]["text"] == guard.NOT_THIS_WORKSPACE
    assert slack.fake.calls_to("views.open") == []  # no listener ran


def test_a_guest_modal_submission_is_refused_inside_the_modal(slack):
    body = view_submission_body(
        user_id="U0GUEST001", view={"type": "modal", "callback_id": "anything"}, values={}
    )
    reply = reply_of(slack.post(body))
    assert reply["response_action"] == "update"
    assert guard.GUEST in json.dumps(reply["view"], ensure_ascii=False)


def test_the_61st_request_in_a_minute_blocks_the_person_for_five_minutes(slack):
    slack.command("help")  # looked up once, after the ack
    for _ in range(LIMIT - 1):
        assert reply_of(slack.command("help"))["response_type"] == "ephemeral"
    blocked = reply_of(slack.command("help"))
    assert "Please wait 5 minutes" in blocked["text"]
    again = reply_of(slack.command("help"))
    assert "Please wait" in again["text"]
    assert "seconds" in again["text"]
    # Someone else is not affected.
    slack.command("help", user_id="U0BOB00001")
    assert "Collect Evidence" in slack.fake.responses[-1]["text"]


@pytest.fixture(params=["local-memory", pytest.param("redis", marks=pytest.mark.redis)])
def rate_limit_cache(request, settings):
    """The rate limit on the tests' local memory cache, and on Case's Redis cache."""
    from django.core.cache import cache

    from tests.case_project.test_cache import redis_cache_settings

    if request.param == "redis":
        settings.CACHES = {"default": redis_cache_settings()}
    cache.clear()
    yield request.param
    cache.clear()


def test_a_block_lasts_five_minutes_then_ends(rate_limit_cache):
    subject = "T1:U-block"
    for i in range(LIMIT):
        assert rate_limit_hit(subject, now=1020.0 + i * 0.5).allowed
    blocked = rate_limit_hit(subject, now=1050.0)
    assert (blocked.allowed, blocked.just_blocked, blocked.retry_in) == (False, True, BLOCK_SECONDS)
    later = rate_limit_hit(subject, now=1150.0)
    assert (later.allowed, later.just_blocked, later.retry_in) == (False, False, BLOCK_SECONDS - 100)
    assert rate_limit_hit(subject, now=1050.0 + BLOCK_SECONDS + 120).allowed


def test_refused_requests_are_not_counted(rate_limit_cache):
    subject = "T1:U-refused"
    assert all(rate_limit_hit(subject, now=1020.0 + i * 0.5).allowed for i in range(LIMIT))
    assert rate_limit_hit(subject, now=1050.0).just_blocked  # blocked until 1350
    assert not any(rate_limit_hit(subject, now=1340.0).allowed for _ in range(LIMIT + 10))
    # The same minute, once the block is over: the refused ones were not counted.
    assert rate_limit_hit(subject, now=1351.0).allowed


def test_a_burst_straddling_two_minutes_is_still_limited(rate_limit_cache):
    """Fixed windows would let 60 + 60 through in two seconds; the sliding one does not."""
    subject = "T1:U-straddle"
    results = [rate_limit_hit(subject, now=1079.0 + i / 60).allowed for i in range(LIMIT)]
    results += [rate_limit_hit(subject, now=1080.0 + i / 60).allowed for i in range(LIMIT)]
    assert results.count(True) == LIMIT


def test_a_steady_pace_under_the_limit_is_never_blocked(rate_limit_cache):
    subject = "T1:U-steady"
    assert all(rate_limit_hit(subject, now=5000.0 + i * 1.1).allowed for i in range(300))


def test_an_unknown_persons_shortcut_is_looked_up_after_the_ack_then_handled(slack):
    assert reply_of(slack.shortcut(user_id="U0GUEST001")) == {}
    assert slack.fake.responses[-1]["text"] == guard.GUEST
    calls, answers = len(slack.fake.calls), len(slack.fake.responses)
    assert reply_of(slack.shortcut(user_id="U0BOB00001")) == {}
    assert slack.fake.calls[calls].method == "users.info"
    # Then the shortcut's own listener ran (nothing is open: it says so).
    assert len(slack.fake.responses) == answers + 1
    assert slack.fake.responses[-1]["text"] != guard.GUEST


def _evidence_submission(case, *, user_id: str = "U0ALICE001", team_id: str = TEAM_ID) -> str:
    """The Collect Evidence modal submitted with `case` chosen."""
    view = {"type": "modal", "callback_id": "select_investigation_for_event",
            "private_metadata": json.dumps({"channel_id": "C0GENERAL1",
                                            "message_ts": "1700000000.000100"})}
    chosen = {"type": "external_select", "selected_option": {"value": str(case.public_id)}}
    values = {"investigation_select": {"selected_investigation": chosen}}
    return view_submission_body(user_id=user_id, view=view, values=values, team_id=team_id)


def test_a_modal_submission_from_a_workspace_not_allowed_is_refused_inside_the_modal(
    slack, fake_slack, settings
):
    case = case_opened_in_slack(fake_slack)
    settings.ALLOWED_WORKSPACE_IDS = ["T0ALLOWED1"]
    reply = reply_of(slack.post(_evidence_submission(case)))
    assert reply["response_action"] == "update"
    assert guard.NOT_THIS_WORKSPACE in json.dumps(reply["view"], ensure_ascii=False)
    assert fake_slack.calls == []
    assert not Evidence.objects.exists()


def test_modal_submissions_count_toward_the_rate_limit(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    for _ in range(LIMIT):
        slack.command("help")
    reply = reply_of(slack.post(_evidence_submission(case)))
    assert reply["response_action"] == "update"
    assert "Rate limit exceeded" in json.dumps(reply["view"], ensure_ascii=False)
    assert not Evidence.objects.exists()


@pytest.mark.redis
def test_with_a_redis_cache_every_process_shares_the_rate_limit(settings):
    """One process spends the minute's allowance; another is then refused and blocked."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": services.REDIS_URL}}
    subject, now = f"T1:U-{uuid.uuid4().hex[:8]}", time.time()
    spend = (
        "import django; django.setup(); from slack_integration.ratelimit import LIMIT, "
        f"rate_limit_hit; print(sum(rate_limit_hit({subject!r}, now={now}).allowed "
        "for _ in range(LIMIT)))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(DJANGO_SETTINGS_MODULE="case_project.settings", DEBUG="true",
               CACHE_URL=services.REDIS_URL)
    other = subprocess.run(  # noqa: S603
        [sys.executable, "-c", spend], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert other.stdout.strip().splitlines()[-1] == str(LIMIT)
    here = rate_limit_hit(subject, now=now + 1)
    assert (here.allowed, here.just_blocked) == (False, True)
    assert not rate_limit_hit(subject, now=now + 2).allowed


@pytest.mark.redis
def test_a_known_persons_command_costs_one_redis_round_trip_before_its_ack(slack, settings):
    """The rate limit's block and previous minute, the person's verdict and this minute's
    count in one MULTI/EXEC; the bot's ids are kept by the app once the cache has them."""
    from tests.case_project.test_cache import CountingConnection, redis_cache_settings

    settings.CACHES = {"default": redis_cache_settings()}
    slack.command("help")  # looked up after the ack: the verdict and the bot's ids are cached
    slack.command("help")
    CountingConnection.writes.clear()
    reply = reply_of(slack.command("help"))
    assert "Collect Evidence" in reply["text"] + json.dumps(reply.get("blocks", []))
    assert len(CountingConnection.writes) == 1
