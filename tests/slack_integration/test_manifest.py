"""The Slack app manifests: valid against Slack's schema, and in step with the code."""

import json
import logging
import re
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


# The bot scope Slack's documentation requires for each Web API method Case
# may call ("" = none). A method missing here fails the test below: look its
# scope up at https://api.slack.com/methods before adding it.
METHOD_SCOPES = {
    "auth_test": "",
    "chat_getPermalink": "",
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "conversations_create": "channels:manage",
    "conversations_archive": "channels:manage",
    "conversations_join": "channels:join",
    "conversations_invite": "channels:write.invites",
    "conversations_setTopic": "channels:write.topic",
    "conversations_info": "channels:read",
    "conversations_members": "channels:read",
    "conversations_open": "im:write",
    "users_info": "users:read",
    "usergroups_users_list": "usergroups:read",
    "views_open": "",
    "views_update": "",
    "files_upload_v2": "files:write",
}
_API_CALL = re.compile(
    r"\.((?:auth|chat|conversations|users|usergroups|views|files|team|reactions|pins|bots"
    r"|apps|dnd|emoji|bookmarks|reminders|search|stars|admin)_[A-Za-z_0-9]+)\("
)


def methods_called() -> set[str]:
    """Every Slack Web API method Case's own code calls (not the fakes or the sandbox)."""
    package = ROOT / "slack_integration"
    found: set[str] = set()
    for path in package.rglob("*.py"):
        if {"fakes", "sandbox"} & set(path.relative_to(package).parts):
            continue
        found |= set(_API_CALL.findall(path.read_text()))
    return found


def test_the_manifest_asks_for_exactly_the_scopes_the_code_calls_need():
    called = methods_called()
    assert {"chat_postMessage", "conversations_create", "users_info"} <= called
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add the scope these methods need to METHOD_SCOPES: {unknown}"
    needed = {METHOD_SCOPES[method] for method in called} - {""}
    needed.add("commands")  # the /case command and the Collect Evidence shortcut
    for path in (HTTP, SOCKET):
        assert set(load(path)["oauth_config"]["scopes"]["bot"]) == needed, path.name
