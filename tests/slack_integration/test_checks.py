"""System checks of the Slack settings: presence and prefixes only."""

import pytest

from slack_integration.checks import check_slack_settings


def ids_of(settings) -> list[str]:
    return [message.id for message in check_slack_settings()]


@pytest.fixture
def enabled(settings):
    settings.SLACK_BOT_TOKEN = "xoxb-1-2-abc"
    settings.SLACK_SIGNING_SECRET = "secret"
    settings.SLACK_APP_TOKEN = ""
    settings.ISSUES_CHANNEL_ID = "C0ISSUES01"
    return settings


def test_a_complete_configuration_passes(enabled):
    assert ids_of(enabled) == []
    enabled.SLACK_APP_TOKEN = "xapp-1-A1-2-abc"
    assert ids_of(enabled) == []


def test_missing_issues_channel_and_bad_prefixes_are_errors(enabled):
    enabled.ISSUES_CHANNEL_ID = ""
    enabled.SLACK_BOT_TOKEN = "xoxp-user-token"
    enabled.SLACK_APP_TOKEN = "xoxb-not-an-app-token"
    assert ids_of(enabled) == [
        "slack_integration.E001", "slack_integration.E002", "slack_integration.E003"
    ]


def test_nothing_is_checked_when_slack_is_disabled(settings):
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SIGNING_SECRET = ""
    settings.SLACK_APP_TOKEN = "nonsense"
    settings.ISSUES_CHANNEL_ID = ""
    assert ids_of(settings) == []


def test_half_a_configuration_warns_that_slack_is_off(settings):
    settings.SLACK_BOT_TOKEN = "xoxb-1"
    settings.SLACK_SIGNING_SECRET = ""
    [warning] = check_slack_settings()
    assert warning.id == "slack_integration.W001"
    assert "SLACK_SIGNING_SECRET" in warning.msg


def test_checks_are_never_stricter_than_prefix_and_presence(enabled):
    enabled.SLACK_BOT_TOKEN = "xoxb-"
    enabled.ISSUES_CHANNEL_ID = "anything"
    enabled.SLACK_SIGNING_SECRET = "x"
    assert ids_of(enabled) == []
