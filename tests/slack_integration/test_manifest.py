"""The Slack app manifests: valid against Slack's schema, and in step with the code."""

import json
import logging
from pathlib import Path

import jsonschema
import pytest
import yaml

from slack_integration import ids
from slack_integration.commands.registry import subcommands
from slack_integration.fakes.slack_api import SCOPES_GRANTED
from tests import services
from tests.slack_integration.conftest import reply_of

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / ".." / "shared" / "slack-manifest-schema" / "manifest.schema.1.0.0.json"
HTTP = ROOT / "slack_integration" / "manifest.yml"
SOCKET = ROOT / "slack_integration" / "manifest.socket.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module")
def schema() -> dict:
    if not SCHEMA.exists():
        reason = f"../shared/ not found: {SCHEMA.resolve()} (Slack's app manifest schema)"
        if services.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    return json.loads(SCHEMA.read_text())


@pytest.mark.parametrize("path", [HTTP, SOCKET], ids=["http", "socket"])
def test_manifest_is_valid_against_slacks_schema(schema, path):
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("path", [HTTP, SOCKET], ids=["http", "socket"])
def test_manifest_declares_what_the_code_handles(path):
    manifest = load(path)
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == ids.COMMAND
    assert command["should_escape"] is True
    for spec in subcommands():  # the usage hint is complete
        assert spec.name in command["usage_hint"]
    [shortcut] = manifest["features"]["shortcuts"]
    assert (shortcut["callback_id"], shortcut["name"], shortcut["type"]) == (
        ids.COLLECT_EVIDENCE_CALLBACK_ID, ids.COLLECT_EVIDENCE_NAME, "message"
    )


def test_both_manifests_ask_for_the_same_scopes_and_none_that_read_messages():
    http, socket = (load(p)["oauth_config"]["scopes"]["bot"] for p in (HTTP, SOCKET))
    assert http == socket
    assert sorted(http) == sorted(SCOPES_GRANTED)
    assert not [s for s in http if s.endswith(":history") or s in {"im:read", "mpim:read"}]
    assert "user" not in load(HTTP)["oauth_config"]["scopes"]


def test_http_manifest_points_every_url_at_slack_events_and_socket_mode_at_none():
    http, socket = load(HTTP), load(SOCKET)
    assert http["settings"]["socket_mode_enabled"] is False
    urls = [http["features"]["slash_commands"][0]["url"],
            http["settings"]["interactivity"]["request_url"],
            http["settings"]["interactivity"]["message_menu_options_url"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "url" not in socket["features"]["slash_commands"][0]
    assert "request_url" not in socket["settings"]["interactivity"]


@pytest.mark.django_db
def test_the_app_has_listeners_for_the_manifests_command_and_shortcut(slack, caplog):
    caplog.set_level(logging.INFO, logger="slack_integration")
    slack.command("help")
    assert reply_of(slack.command("help"))["text"]
    assert slack.shortcut().status_code == 200
    assert "slack.unhandled_request" not in caplog.text
