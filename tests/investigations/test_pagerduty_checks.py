"""PagerDuty's settings are system checks: a wrong key, URL or severity is named at start."""

import pytest

from investigations.pagerduty.checks import check_pagerduty_settings

KEY = "0123456789abcdef0123456789abcdef"


def check_ids() -> list[str]:
    return [error.id for error in check_pagerduty_settings()]


def test_paging_off_checks_nothing(settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    settings.PAGERDUTY_EVENTS_URL = "not a url"
    settings.PAGERDUTY_SEVERITY = "loud"
    assert check_ids() == []


def test_a_32_character_key_with_the_defaults_passes(settings):
    settings.PAGERDUTY_ROUTING_KEY = KEY
    settings.PAGERDUTY_EVENTS_URL = "https://events.eu.pagerduty.com/v2/enqueue"
    settings.PAGERDUTY_SEVERITY = "critical"
    assert check_ids() == []


@pytest.mark.parametrize("key", [KEY[:-1], KEY + "0", "R0UT1NGKEY"])
def test_a_key_that_is_not_32_characters_is_an_error_with_its_length(settings, key):
    settings.PAGERDUTY_ROUTING_KEY = key
    [error] = check_pagerduty_settings()
    assert error.id == "pagerduty.E001"
    assert f"is {len(key)} characters long" in error.msg
    assert "Integration Key" in error.hint


@pytest.mark.parametrize("url", ["events.pagerduty.com/v2/enqueue", "ftp://x/v2/enqueue", "https://"])
def test_an_events_url_that_is_not_http_is_an_error(settings, url):
    settings.PAGERDUTY_ROUTING_KEY = KEY
    settings.PAGERDUTY_EVENTS_URL = url
    assert check_ids() == ["pagerduty.E002"]


@pytest.mark.parametrize("severity", ["critical", "error", "warning", "info"])
def test_each_documented_severity_passes(settings, severity):
    settings.PAGERDUTY_ROUTING_KEY = KEY
    settings.PAGERDUTY_SEVERITY = severity
    assert check_ids() == []


def test_an_unknown_severity_is_an_error_naming_the_choices(settings):
    settings.PAGERDUTY_ROUTING_KEY = KEY
    settings.PAGERDUTY_SEVERITY = "Critical"
    [error] = check_pagerduty_settings()
    assert error.id == "pagerduty.E003"
    assert error.hint == "Use one of: critical, error, warning, info."
