"""A broken installation: the person is told "Case is misconfigured, tell your admin"."""

import pytest

from slack_integration.installation import (
    MISCONFIGURED_MESSAGE,
    installation_problem_record,
    installation_problems_open,
)
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db


def everything_said(slack, response) -> str:
    """The ack's text and every reply posted to response_urls."""
    said = [text_of(reply_of(response))]
    said += [text_of(body) for body in slack.fake.responses]
    return "\n".join(said)


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive", "token_revoked"])
def test_a_command_with_a_broken_token_says_tell_your_admin(slack, error):
    for method in ("auth.test", "users.info"):
        slack.fake.fail(method, error, times=5)
    said = everything_said(slack, slack.command("list"))
    assert MISCONFIGURED_MESSAGE in said
    assert "try again" not in said.lower()
    assert [problem.code for problem in installation_problems_open()] == [error]


def test_a_transient_failure_still_says_try_again(slack):
    slack.fake.fail("users.info", "internal_error", status=500, times=5)
    said = everything_said(slack, slack.command("list"))
    assert MISCONFIGURED_MESSAGE not in said
    assert installation_problems_open() == []


@pytest.mark.parametrize("problem_open", [True, False])
def test_a_crash_while_a_problem_is_open_says_tell_your_admin(slack, monkeypatch, problem_open):
    def broken() -> None:
        raise RuntimeError("database on fire")

    slack.command("help")  # the person is looked up once
    if problem_open:
        installation_problem_record(code="account_inactive", method="auth.test")
    monkeypatch.setattr("slack_integration.commands.listing.investigation_list_open", broken)
    text = reply_of(slack.command("list"))["text"]
    assert (MISCONFIGURED_MESSAGE in text) is problem_open
    assert ("Something went wrong" in text) is not problem_open


def test_a_slack_refusal_outside_the_router_is_recorded_and_explained(slack, monkeypatch):
    """The global error handler: a revoked token met anywhere is a misconfiguration."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web import SlackResponse

    def revoked(*args, **kwargs):
        response = SlackResponse(client=None, http_verb="POST", api_url="", req_args={},
                                 data={"ok": False, "error": "token_revoked"}, headers={},
                                 status_code=200)
        raise SlackApiError("token_revoked", response)

    slack.command("help")
    monkeypatch.setattr("slack_integration.listeners.commands.router.acknowledge", revoked)
    assert MISCONFIGURED_MESSAGE in reply_of(slack.command("list"))["text"]
    assert [problem.code for problem in installation_problems_open()] == ["token_revoked"]
