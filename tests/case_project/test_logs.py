"""Log lines: one per event on stdout, secrets redacted everywhere, context appended."""

import io
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from case_project.logs import (
    LINE_FORMAT,
    LogContextFilter,
    OneLineFormatter,
    RedactSecretsFilter,
    log_bind,
    log_fields,
    log_scope,
    redact,
    redact_data,
)

ROOT = Path(__file__).resolve().parents[2]
BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
USER = "xoxp-1111-2222-3333-abcdef"
APP = "xapp-1-A0123456-1234567890-0a1b2c3d4e5f"
REFRESH = "xoxe-1-My4xLTEwMTQ3OTc2"
ROTATED = "xoxe.xoxb-1-MS0yLTIyMjI"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"
ROUTING = "R0UT1NGKEY0123456789abcdefABCDEF"


@pytest.fixture
def secrets(settings):
    settings.SLACK_SIGNING_SECRET = SIGNING
    settings.PAGERDUTY_ROUTING_KEY = ROUTING
    settings.SLACK_BOT_TOKEN = BOT


@pytest.fixture
def emitted():
    """A logger wired like LOGGING's stdout handler, writing to a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RedactSecretsFilter())
    handler.addFilter(LogContextFilter())
    handler.setFormatter(OneLineFormatter(LINE_FORMAT))
    logger = logging.getLogger("tests.case_project.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, buffer
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize("token", [BOT, USER, APP, REFRESH, ROTATED])
def test_every_slack_token_shape_is_redacted_keeping_its_kind(token):
    text = redact(f"calling Slack with {token}.")
    assert token not in text
    assert text.startswith(f"calling Slack with {token.split('-')[0]}-[redacted]")


def test_redacts_in_message_args_and_exception_text(emitted, secrets):
    logger, buffer = emitted
    logger.info("token=%s secret=%s", BOT, SIGNING)
    logger.warning("pagerduty %(key)s", {"key": ROUTING})
    try:
        raise RuntimeError(f"Slack said no to {APP} with routing key {ROUTING}")
    except RuntimeError:
        logger.exception("handler crashed for %s", USER)
    out = buffer.getvalue()
    for secret in (BOT, SIGNING, ROUTING, APP, USER):
        assert secret not in out
    assert "RuntimeError: Slack said no to xapp-[redacted] with routing key [redacted]" in out
    # The configured bot token is masked whole, like any configured secret.
    assert "token=[redacted] secret=[redacted]" in out


def test_configured_secrets_of_any_shape_are_redacted(settings):
    settings.SLACK_SIGNING_SECRET = "plain-words-secret"
    assert redact("sig plain-words-secret end") == "sig [redacted] end"


def test_short_configured_values_are_not_treated_as_secrets(settings):
    settings.SLACK_SIGNING_SECRET = "x"
    assert redact("x marks the spot") == "x marks the spot"


def test_one_line_per_event_even_with_a_traceback(emitted):
    logger, buffer = emitted
    try:
        raise ValueError("first\nsecond")
    except ValueError:
        logger.exception("boom\nmultiline message")
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1
    assert "Traceback" in lines[0]
    assert "boom\\nmultiline message" in lines[0]


def test_bound_fields_are_appended_and_scoped(emitted):
    logger, buffer = emitted

    @log_scope
    def deliver():
        log_bind(investigation="3f1c", outbox_id=7)
        logger.info("delivering")

    deliver()
    logger.info("after")
    with log_fields(investigation="abcd"):
        logger.info("inside")
    first, after, inside = buffer.getvalue().splitlines()
    assert first.endswith("delivering investigation=3f1c outbox_id=7")
    assert after.endswith("after")
    assert inside.endswith("inside investigation=abcd")


def test_context_does_not_leak_between_threads(emitted):
    logger, buffer = emitted
    log_fields_entered = threading.Event()
    release = threading.Event()

    @log_scope
    def other_thread():
        log_bind(investigation="other")
        log_fields_entered.set()
        release.wait(5)

    thread = threading.Thread(target=other_thread)
    thread.start()
    log_fields_entered.wait(5)
    logger.info("main")
    release.set()
    thread.join()
    assert buffer.getvalue().strip().endswith("main")


def test_extra_investigation_is_rendered(emitted):
    logger, buffer = emitted
    logger.info("with extra", extra={"investigation": "feed"})
    assert buffer.getvalue().strip().endswith("with extra investigation=feed")


def test_sentry_events_are_scrubbed_recursively(secrets):
    event = {"message": f"bad {BOT}", "extra": {"args": [ROUTING, 3]}, "tags": (SIGNING,)}
    assert redact_data(event) == {
        "message": "bad [redacted]", "extra": {"args": ["[redacted]", 3]},
        "tags": ("[redacted]",),
    }


def test_the_process_logs_one_redacted_line_per_event_to_stdout():
    """The real LOGGING, DEBUG off, in a fresh process: what an operator sees."""
    code = (
        "import django, logging; django.setup();"
        "log = logging.getLogger('slack_integration.client');"
        f"log.warning('auth failed for %s', {BOT!r});"
        "\ntry:\n  raise RuntimeError('signing secret ' + __import__('django.conf').conf.settings.SLACK_SIGNING_SECRET)"
        "\nexcept RuntimeError:\n  log.exception('verification crashed')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="case_project.settings", DEBUG="false",
        DJANGO_SECRET_KEY="k" * 60, DATABASE_URL="sqlite:///:memory:",
        SLACK_SIGNING_SECRET=SIGNING, PAGERDUTY_ROUTING_KEY=ROUTING, LOG_LEVEL="INFO",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )
    lines = [line for line in result.stdout.splitlines() if "slack_integration.client" in line]
    assert len(lines) == 2, result.stdout
    assert "WARNING slack_integration.client auth failed for xoxb-[redacted]" in lines[0]
    assert "ERROR slack_integration.client verification crashed" in lines[1]
    assert "RuntimeError: signing secret [redacted]" in lines[1]
    assert BOT not in result.stdout + result.stderr
    assert SIGNING not in result.stdout + result.stderr
