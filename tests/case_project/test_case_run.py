"""`manage.py case_run` (what `make run` starts): Slack with credentials, else the sandbox."""

import re

from tests.slack_integration.sandbox.live import BANNER, free_port, launch


def test_without_slack_credentials_it_starts_the_sandbox(tmp_path):
    live = launch("case_run", "0", tmp_path=tmp_path)
    try:
        base = live.wait_for(BANNER).group(1)
        assert "No Slack credentials (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)" in live.output
        assert f"Admin:    {base}/admin/" in live.output
        assert "manage.py createsuperuser" in live.output
    finally:
        assert live.stop() == 0


def test_with_slack_credentials_it_serves_slack(tmp_path):
    port = free_port()
    live = launch("case_run", f"127.0.0.1:{port}", "--noreload", tmp_path=tmp_path, env={
        "SLACK_BOT_TOKEN": "xoxb-a-real-looking-token", "SLACK_SIGNING_SECRET": "a-secret",
        "ISSUES_CHANNEL_ID": "C0ISSUES01",
    })
    try:
        live.wait_for(re.compile(rf"Starting development server at http://127\.0\.0\.1:{port}/"))
        assert "Slack credentials found" in live.output
        assert "Sandbox:" not in live.output
    finally:
        live.stop()


def test_a_bad_address_is_a_clear_error(tmp_path):
    live = launch("case_run", "localhost:http", tmp_path=tmp_path)
    assert live.process.wait(timeout=60) != 0
    assert "'localhost:http' is not a port or host:port." in live.output
