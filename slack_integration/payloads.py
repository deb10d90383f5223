"""Slack's request payloads turned into frozen dataclasses.

The one module that knows where each payload shape keeps the user, the team,
the channel and the delivery's identity (slash commands are form fields;
shortcuts, modal submissions and block actions are a JSON `payload`; events
are an `event_callback` envelope). Everything else reads these dataclasses.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Payload `type`s a person starts (the ones the guard applies to).
USER_ACTION_TYPES = frozenset(
    {"message_action", "shortcut", "view_submission", "block_actions", "block_suggestion"}
)

# <@U123|name>, <#C123|name>, <!here>, <!subteam^S1|@team>, <https://x|label>, <mailto:…>
_TOKEN = re.compile(r"<([^<>]*)>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


@dataclass(frozen=True)
class Actor:
    """Who acts, from which workspace; `user_team_id` only when the payload says."""

    user_id: str
    team_id: str
    enterprise_id: str = ""
    user_team_id: str = ""
    kind: str = ""  # slash_command, message_action, view_submission, …


@dataclass(frozen=True)
class SlashCommand:
    command: str
    text: str
    user_id: str
    team_id: str
    channel_id: str
    response_url: str
    trigger_id: str
    enterprise_id: str = ""
    channel_name: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(
            user_id=self.user_id, team_id=self.team_id, enterprise_id=self.enterprise_id,
            kind="slash_command",
        )


@dataclass(frozen=True)
class CommandText:
    """`/case OPEN  API down` → name "open", args "API down" (args as Slack sent them)."""

    name: str
    args: str


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def slash_command_from(body: Mapping[str, Any]) -> SlashCommand:
    return SlashCommand(
        command=_str(body.get("command")),
        text=_str(body.get("text")),
        user_id=_str(body.get("user_id")),
        team_id=_str(body.get("team_id")),
        channel_id=_str(body.get("channel_id")),
        response_url=_str(body.get("response_url")),
        trigger_id=_str(body.get("trigger_id")),
        enterprise_id=_str(body.get("enterprise_id")),
        channel_name=_str(body.get("channel_name")),
    )


def command_text_from(text: str) -> CommandText:
    """Split off the subcommand (case-insensitive); empty text is `list`'s business."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return CommandText(name="", args="")
    return CommandText(name=parts[0].lower(), args=parts[1] if len(parts) > 1 else "")


def request_kind(body: Mapping[str, Any]) -> str:
    """slash_command, an interactive payload's `type`, event_callback, or other."""
    if "command" in body and "user_id" in body:
        return "slash_command"
    kind = _str(body.get("type"))
    return kind or "other"


def actor_from(body: Mapping[str, Any]) -> Actor | None:
    """The person behind a command, shortcut, submission or action; None otherwise."""
    kind = request_kind(body)
    if kind == "slash_command":
        return slash_command_from(body).actor
    if kind not in USER_ACTION_TYPES:
        return None
    person = body.get("user") if isinstance(body.get("user"), Mapping) else {}
    team = body.get("team") if isinstance(body.get("team"), Mapping) else {}
    enterprise = body.get("enterprise") if isinstance(body.get("enterprise"), Mapping) else {}
    return Actor(
        user_id=_str(person.get("id")),
        team_id=_str(team.get("id")) or _str(person.get("team_id")),
        enterprise_id=_str(enterprise.get("id")),
        user_team_id=_str(person.get("team_id")),
        kind=kind,
    )


def response_url_of(body: Mapping[str, Any]) -> str:
    """Where a reply to this request can be posted after the ack, if anywhere."""
    return _str(body.get("response_url"))


def delivery_key(body: Mapping[str, Any]) -> str | None:
    """What Slack repeats when it redelivers: the event id or the trigger id.

    Options requests (`block_suggestion`) change nothing and carry neither.
    """
    if _str(body.get("type")) == "event_callback":
        event_id = _str(body.get("event_id"))
        return f"event:{event_id}" if event_id else None
    trigger_id = _str(body.get("trigger_id"))
    return f"trigger:{trigger_id}" if trigger_id else None


def _unwrap(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith(("@", "#")):
        return f"{target[0]}{label.lstrip('@#')}" if label else target
    if target.startswith("!"):
        keyword = target[1:].split("^", 1)[0]
        return label or _SPECIAL.get(keyword, f"@{keyword}")
    return label or target


def plain_text_from_slack(text: str) -> str:
    """Text as the person typed it, from Slack's escaped form (`should_escape` on).

    Slack sends mentions, channels and links as `<…>` tokens and a typed `<`,
    `>` or `&` as an entity. Tokens become what the person saw (`@alice`,
    `#general`, the link's text); entities are left for
    `investigations.naming.title_from_slack` to undo once.
    """
    return _TOKEN.sub(_unwrap, text)


@dataclass(frozen=True)
class CollectedMessage:
    """The message a person collected, carried through the modal's metadata."""

    channel_id: str
    message_ts: str

    def to_metadata(self) -> str:
        return json.dumps({"channel_id": self.channel_id, "message_ts": self.message_ts})

    @classmethod
    def from_metadata(cls, metadata: str) -> "CollectedMessage | None":
        try:
            data = json.loads(metadata or "{}")
            found = cls(channel_id=str(data["channel_id"]), message_ts=str(data["message_ts"]))
        except (ValueError, KeyError, TypeError):
            return None
        return found if found.channel_id and found.message_ts else None

    @classmethod
    def from_shortcut(cls, body: Mapping[str, Any]) -> "CollectedMessage":
        message = body.get("message") or {}
        return cls(
            channel_id=(body.get("channel") or {}).get("id", ""),
            message_ts=body.get("message_ts") or message.get("ts", ""),
        )


def selected_option_value(view: Mapping[str, Any], *, block_id: str, action_id: str) -> str:
    """The value of the option picked in a submitted view's select ("" if none)."""
    values = (view.get("state") or {}).get("values") or {}
    selected = (values.get(block_id) or {}).get(action_id) or {}
    return str((selected.get("selected_option") or {}).get("value") or "")
