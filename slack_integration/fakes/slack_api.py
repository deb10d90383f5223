"""A loopback fake of Slack's Web API, holding one workspace's state.

A loopback server (`case_project.loopback`). The real `slack_sdk` client
talks to it over HTTP (point SLACK_API_BASE_URL at `fake.api_url`). It keeps
users, user groups, channels, members, topics, archive flags, messages,
permalinks, DMs, uploaded files and views; it answers like Slack
(`name_taken`, `not_in_channel`, `is_archived`, `already_in_channel`, …);
it can answer 429 with Retry-After or 5xx on demand; and it records every
call, including posts to `response_url`s (`fake.responses`).

Used by the tests, the local sandbox and the benchmarks: no pytest imports here.
"""

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from case_project.loopback import LoopbackHandler, LoopbackServer

BOT_TOKEN = "xoxb-fake-bot-token"  # noqa: S105  (the fake's own token)
SIGNING_SECRET = "fake-signing-secret"  # noqa: S105  (a test fixture's secret)
TEAM_ID = "T0CASE0001"
TEAM_DOMAIN = "case-test"
BOT_USER_ID = "U0CASEBOT1"

RESPONSE_URL_USES = 5  # posts Slack accepts per response_url
_CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.time)


@dataclass
class Failure:
    """A scripted answer to the next `times` calls of a method."""

    error: str = "internal_error"
    status: int = 200
    retry_after: int | None = None
    times: int = 1
    # Only calls whose arguments this accepts fail (e.g. one channel's posts).
    only_if: Callable[[dict[str, Any]], bool] | None = None


class FakeSlack:
    """The workspace's state, and the fake's behaviour per Web API method."""

    def __init__(self, latency: float = 0.0) -> None:
        self.lock = threading.RLock()
        self.latency = latency
        self.latency_by_method: dict[str, float] = {}  # slower answers for some methods
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_url
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.view_triggers: dict[str, str] = {}  # trigger_id -> the view it opened
        self.response_contexts: dict[str, tuple[str, str]] = {}  # path -> (channel, user)
        self.response_uses: dict[str, int] = {}  # path -> posts accepted
        self.response_urls_expired = False  # as if 30 minutes had passed
        self.failures: dict[str, list[Failure]] = {}
        self.token = BOT_TOKEN
        self.enterprise_id = ""  # set: the workspace belongs to this Enterprise Grid org
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.add_user(BOT_USER_ID, name="case", is_bot=True)
        self.server: LoopbackServer | None = None

    # --- lifecycle -------------------------------------------------------
    def start(self) -> "FakeSlack":
        self.server = LoopbackServer(_Handler, fake=self)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    @property
    def base_url(self) -> str:
        if self.server is None:
            raise RuntimeError("start() the fake first")
        return self.server.origin

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "cmd", *, channel_id: str = "", user_id: str = "") -> str:
        """A fresh response_url; given where it came from, posts to it show up there."""
        path = f"/response/{name}-{next(self._ids)}"
        if channel_id and user_id:
            with self.lock:
                self.response_contexts[path] = (channel_id, user_id)
        return f"{self.base_url}{path}"

    # --- seeding -----------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        name: str = "",
        is_bot: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        is_stranger: bool = False,
        team_id: str = TEAM_ID,
        deleted: bool = False,
        tz: str = "Europe/London",
        enterprise_id: str = "",
    ) -> dict[str, Any]:
        user = {
            "id": user_id, "team_id": team_id, "name": name or user_id.lower(),
            "real_name": name or user_id, "deleted": deleted, "is_bot": is_bot,
            "is_restricted": is_restricted, "is_ultra_restricted": is_ultra_restricted,
            "tz": tz, "profile": {"display_name": name or user_id},
        }
        if is_stranger:
            user["is_stranger"] = True
        if enterprise_id:  # a member of an Enterprise Grid org, as users.info shows one
            user["enterprise_user"] = {"id": user_id, "enterprise_id": enterprise_id,
                                       "enterprise_name": "Case Org", "teams": [team_id]}
        with self.lock:
            self.users[user_id] = user
        return user

    def add_channel(
        self, name: str, *, channel_id: str | None = None, members: tuple[str, ...] = (),
        is_private: bool = False, is_im: bool = False, is_archived: bool = False,
    ) -> str:
        channel_id = channel_id or f"{'D' if is_im else 'C'}{next(self._ids):08d}"
        with self.lock:
            self.channels[channel_id] = {
                "id": channel_id, "name": name, "is_channel": not is_im, "is_im": is_im,
                "is_private": is_private, "is_archived": is_archived, "members": set(members),
                "topic": {"value": ""}, "created": int(time.time()),
            }
            self.messages.setdefault(channel_id, [])
        return channel_id

    def add_usergroup(self, group_id: str, users: list[str]) -> None:
        with self.lock:
            self.usergroups[group_id] = list(users)

    def fail(self, method: str, error: str = "internal_error", *, status: int = 200,
             retry_after: int | None = None, times: int = 1,
             only_if: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Make the next `times` calls of `method` (those `only_if` accepts) fail as Slack would."""
        with self.lock:
            self.failures.setdefault(method, []).append(Failure(
                error=error, status=status, retry_after=retry_after, times=times, only_if=only_if
            ))

    # --- inspection --------------------------------------------------------
    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c.params for c in self.calls if c.method == method]

    def channel_named(self, name: str) -> dict[str, Any] | None:
        with self.lock:
            return next((c for c in self.channels.values() if c["name"] == name), None)

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.messages.get(channel_id, []))

    def view_opened_for(self, trigger_id: str) -> dict[str, Any] | None:
        """The view (as now, after any views.update) that `trigger_id` opened."""
        with self.lock:
            view_id = self.view_triggers.get(trigger_id)
            return dict(self.views[view_id]) if view_id else None

    # --- what people and Slack itself do -----------------------------------
    def post_user_message(self, channel_id: str, user_id: str, text: str,
                          blocks: list | None = None) -> dict[str, Any]:
        """A person's (or another app's) message in a channel, as Slack stores it."""
        with self.lock:
            if self._channel(channel_id)["is_archived"]:
                raise SlackRefusal("is_archived")
            message = {"ts": self._next_ts(), "user": user_id, "text": text,
                       "blocks": blocks or []}
            self.messages[channel_id].append(message)
            return message

    def show_response(self, channel_id: str, user_id: str, body: dict[str, Any],
                      author: str = BOT_USER_ID) -> dict | None:
        """Show an app's reply to a command or shortcut as Slack does.

        Used for a slash command's HTTP response body and for posts to its
        response_url: `in_channel` is visible to the channel, anything else
        only to the person who acted. An empty reply shows nothing.
        """
        if not (body.get("text") or body.get("blocks")):
            return None
        params = {"text": body.get("text", ""), "blocks": body.get("blocks") or []}
        with self.lock:
            message = self._message(params) | {"user": author}
            if body.get("response_type") != "in_channel":
                message["ephemeral_to"] = user_id
            self.messages.setdefault(channel_id, []).append(message)
            return message

    def record_response(self, path: str, body: dict[str, Any]) -> str:
        """A post to a response_url: recorded, and shown where it came from.

        Slack accepts five posts to one response_url within 30 minutes; the
        answer is "ok", else the error Slack gives ("used_url", "expired_url").
        """
        with self.lock:
            if self.response_urls_expired:
                return "expired_url"
            if self.response_uses.get(path, 0) >= RESPONSE_URL_USES:
                return "used_url"
            self.response_uses[path] = self.response_uses.get(path, 0) + 1
            self.responses.append(body | {"_url": path})
            context = self.response_contexts.get(path)
        if context is not None:
            self.show_response(*context, body)
        return "ok"

    # --- dispatch ------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any], token: str) -> tuple[int, dict, dict]:
        """Answer one API call: (HTTP status, headers, JSON body)."""
        with self.lock:
            self.calls.append(Call(method, params))
            scripted = self._take_failure(method, params)
        delay = self.latency_by_method.get(method, self.latency)
        if delay:
            time.sleep(delay)
        if scripted is not None:
            headers = {"Retry-After": str(scripted.retry_after)} if scripted.retry_after else {}
            status = scripted.status
            return status, headers, {"ok": False, "error": scripted.error}
        if token != self.token:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        action = getattr(self, "api_" + method.replace(".", "_"), None)
        if action is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        with self.lock:
            try:
                body = action(params)
            except SlackRefusal as refusal:
                body = {"ok": False, "error": refusal.error}
        headers = {"X-OAuth-Scopes": ",".join(SCOPES_GRANTED)}
        return 200, headers, body

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        queue = self.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        if failure.only_if is not None and not failure.only_if(params):
            return None
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _channel(self, channel_id: str) -> dict[str, Any]:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise SlackRefusal("channel_not_found")
        return channel

    def _writable(self, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if channel["is_archived"]:
            raise SlackRefusal("is_archived")
        if not channel["is_im"] and BOT_USER_ID not in channel["members"]:
            raise SlackRefusal("not_in_channel")
        return channel

    # --- Web API methods (only what Case uses) -------------------------------------
    def api_auth_test(self, params: dict) -> dict:
        answer = {"ok": True, "url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "Case Test",
                  "user": "case", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "B0CASE"}
        if self.enterprise_id:  # a workspace of an Enterprise Grid org
            answer |= {"enterprise_id": self.enterprise_id, "is_enterprise_install": False}
        return answer

    def api_users_info(self, params: dict) -> dict:
        user = self.users.get(params.get("user", ""))
        if user is None:
            raise SlackRefusal("user_not_found")
        return {"ok": True, "user": user}

    def api_usergroups_users_list(self, params: dict) -> dict:
        group = self.usergroups.get(params.get("usergroup", ""))
        if group is None:
            raise SlackRefusal("no_such_subteam")
        return {"ok": True, "users": list(group)}

    def api_conversations_create(self, params: dict) -> dict:
        name = params.get("name", "")
        if not _CHANNEL_NAME.match(name):
            raise SlackRefusal("invalid_name_specials")
        if self.channel_named(name) is not None:
            raise SlackRefusal("name_taken")
        is_private = _flag(params.get("is_private"))
        channel_id = self.add_channel(name, members=(BOT_USER_ID,), is_private=is_private)
        return {"ok": True, "channel": self._public(self.channels[channel_id])}

    def api_conversations_info(self, params: dict) -> dict:
        return {"ok": True, "channel": self._public(self._channel(params.get("channel", "")))}

    def api_conversations_join(self, params: dict) -> dict:
        channel = self._channel(params.get("channel", ""))
        if channel["is_archived"]:
            raise SlackRefusal("is_archived")
        if channel["is_private"] and BOT_USER_ID not in channel["members"]:
            raise SlackRefusal("method_not_supported_for_channel_type")
        channel["members"].add(BOT_USER_ID)
        return {"ok": True, "channel": self._public(channel)}

    def api_conversations_members(self, params: dict) -> dict:
        channel = self._channel(params.get("channel", ""))
        return {"ok": True, "members": sorted(channel["members"]),
                "response_metadata": {"next_cursor": ""}}

    def api_conversations_setTopic(self, params: dict) -> dict:  # noqa: N802
        channel = self._writable(params.get("channel", ""))
        topic = params.get("topic", "")
        if len(topic) > 250:
            raise SlackRefusal("too_long")
        channel["topic"] = {"value": topic}
        return {"ok": True, "channel": self._public(channel)}

    def api_conversations_invite(self, params: dict) -> dict:
        channel = self._writable(params.get("channel", ""))
        users = [u for u in str(params.get("users", "")).split(",") if u]
        force = _flag(params.get("force"))
        errors = []
        for user_id in users:
            if user_id not in self.users or self.users[user_id]["deleted"]:
                errors.append({"user": user_id, "ok": False, "error": "user_not_found"})
            elif user_id in channel["members"]:
                errors.append({"user": user_id, "ok": False, "error": "already_in_channel"})
        if errors and not force:
            return {"ok": False, "error": errors[0]["error"], "errors": errors}
        for user_id in users:
            if user_id in self.users and not self.users[user_id]["deleted"]:
                channel["members"].add(user_id)
        body = {"ok": True, "channel": self._public(channel)}
        if errors:
            body["errors"] = errors
        return body

    def api_conversations_archive(self, params: dict) -> dict:
        channel = self._channel(params.get("channel", ""))
        if channel["is_archived"]:
            raise SlackRefusal("already_archived")
        if BOT_USER_ID not in channel["members"]:
            raise SlackRefusal("not_in_channel")
        channel["is_archived"] = True
        return {"ok": True}

    def api_conversations_open(self, params: dict) -> dict:
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if len(users) != 1 or users[0] not in self.users:
            raise SlackRefusal("user_not_found")
        existing = next(
            (c for c in self.channels.values() if c["is_im"] and users[0] in c["members"]), None
        )
        channel_id = existing["id"] if existing else self.add_channel(
            f"dm-{users[0]}", members=(users[0], BOT_USER_ID), is_im=True
        )
        return {"ok": True, "channel": {"id": channel_id}}

    def api_chat_postMessage(self, params: dict) -> dict:  # noqa: N802
        channel = self._writable(params.get("channel", ""))
        if not (params.get("text") or params.get("blocks")):
            raise SlackRefusal("no_text")
        message = self._message(params)
        if params.get("thread_ts"):
            parent = self._find(channel["id"], params["thread_ts"])
            if parent is None:
                raise SlackRefusal("thread_not_found")
            message["thread_ts"] = params["thread_ts"]
        self.messages[channel["id"]].append(message)
        return {"ok": True, "channel": channel["id"], "ts": message["ts"], "message": message}

    def api_chat_delete(self, params: dict) -> dict:
        channel = self._channel(params.get("channel", ""))
        message = self._find(channel["id"], params.get("ts", ""))
        if message is None:
            raise SlackRefusal("message_not_found")
        if message["user"] != BOT_USER_ID:
            raise SlackRefusal("cant_delete_message")
        self.messages[channel["id"]].remove(message)
        return {"ok": True, "channel": channel["id"], "ts": message["ts"]}

    def api_chat_update(self, params: dict) -> dict:
        channel = self._writable(params.get("channel", ""))
        message = self._find(channel["id"], params.get("ts", ""))
        if message is None:
            raise SlackRefusal("message_not_found")
        message.update({k: v for k, v in self._message(params).items() if k != "ts"})
        message["edited"] = True
        return {"ok": True, "channel": channel["id"], "ts": message["ts"]}

    def api_chat_postEphemeral(self, params: dict) -> dict:  # noqa: N802
        channel = self._writable(params.get("channel", ""))
        if params.get("user") not in channel["members"]:
            raise SlackRefusal("user_not_in_channel")
        message = self._message(params) | {"ephemeral_to": params["user"]}
        self.messages[channel["id"]].append(message)
        return {"ok": True, "message_ts": message["ts"]}

    def api_chat_getPermalink(self, params: dict) -> dict:  # noqa: N802
        channel_id, ts = params.get("channel", ""), params.get("message_ts", "")
        if channel_id not in self.channels and not channel_id.startswith(("C", "G", "D")):
            raise SlackRefusal("channel_not_found")
        return {"ok": True, "channel": channel_id,
                "permalink": f"https://{TEAM_DOMAIN}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"}

    def api_views_open(self, params: dict) -> dict:
        if not params.get("trigger_id"):
            raise SlackRefusal("invalid_trigger_id")
        view = self._store_view(params)
        self.view_triggers[params["trigger_id"]] = view["id"]
        return {"ok": True, "view": view}

    def api_views_update(self, params: dict) -> dict:
        view_id = params.get("view_id", "")
        if view_id not in self.views:
            raise SlackRefusal("not_found")
        return {"ok": True, "view": self._store_view(params, view_id)}

    def api_views_push(self, params: dict) -> dict:
        return {"ok": True, "view": self._store_view(params)}

    def api_files_getUploadURLExternal(self, params: dict) -> dict:  # noqa: N802
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {"id": file_id, "name": params.get("filename", ""),
                               "length": int(params.get("length", 0)), "content": b"",
                               "channels": []}
        return {"ok": True, "file_id": file_id,
                "upload_url": f"{self.base_url}/upload/{file_id}"}

    def api_files_completeUploadExternal(self, params: dict) -> dict:  # noqa: N802
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        channel_id = params.get("channel_id", "")
        if channel_id and not channel_id.startswith(("C", "G", "D", "Z")):
            raise SlackRefusal("invalid_arguments")
        if channel_id:
            self._writable(channel_id)
        done = []
        for item in files:
            stored = self.files.get(item.get("id", ""))
            if stored is None:
                raise SlackRefusal("file_not_found")
            stored["title"] = item.get("title", stored["name"])
            if channel_id:
                stored["channels"].append(channel_id)
                self.messages[channel_id].append(
                    {"ts": self._next_ts(), "user": BOT_USER_ID, "files": [stored["id"]],
                     "text": params.get("initial_comment", "")}
                )
            done.append({"id": stored["id"], "title": stored["title"]})
        return {"ok": True, "files": done}

    def store_upload(self, file_id: str, content: bytes) -> bool:
        with self.lock:
            stored = self.files.get(file_id)
            if stored is None:
                return False
            stored["content"] = content
            return True

    # --- helpers ----------------------------------------------------------------------
    def _message(self, params: dict) -> dict[str, Any]:
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        message = {"ts": self._next_ts(), "user": BOT_USER_ID, "text": params.get("text", ""),
                   "blocks": blocks or []}
        if _flag(params.get("reply_broadcast")):
            message["reply_broadcast"] = True
        return message

    def _find(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel_id, []) if m["ts"] == ts), None)

    def _store_view(self, params: dict, view_id: str | None = None) -> dict[str, Any]:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        view_id = view_id or f"V{next(self._ids):08d}"
        view["id"] = view_id
        self.views[view_id] = view
        return view

    @staticmethod
    def _public(channel: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in channel.items() if k != "members"} | {
            "num_members": len(channel["members"])
        }


def _flag(value: Any) -> bool:
    """A boolean argument as Slack reads it: slack_sdk sends form booleans as "1"."""
    return str(value).lower() in {"1", "true"}


class SlackRefusal(Exception):  # noqa: N818
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


# The scopes the fake reports in X-OAuth-Scopes (what the manifest asks for).
SCOPES_GRANTED = [
    "commands", "chat:write", "channels:manage", "channels:join", "channels:read",
    "channels:write.invites", "channels:write.topic", "users:read", "usergroups:read",
    "im:write", "files:write",
]


class _Handler(LoopbackHandler):
    fake: FakeSlack

    def do_POST(self) -> None:  # noqa: N802  (http.server calls it by this name)
        raw = self.body()
        if self.path.startswith("/api/"):
            self._api(self.path[len("/api/"):].split("?")[0], raw)
        elif self.path.startswith("/response/"):
            answer = self.fake.record_response(self.path, json.loads(raw or b"{}"))
            self.reply(200 if answer == "ok" else 404, answer.encode(), content_type="text/plain")
        elif self.path.startswith("/upload/"):
            stored = self.fake.store_upload(self.path.rsplit("/", 1)[1], raw)
            self.reply(200 if stored else 404, b"OK", content_type="text/plain")
        else:
            self.reply(404, b"not found", content_type="text/plain")

    def _api(self, method: str, raw: bytes) -> None:
        content_type = self.headers.get("Content-Type", "")
        if "application/json" in content_type:
            params = json.loads(raw or b"{}")
        else:
            params = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth else params.pop("token", "")
        status, headers, body = self.fake.handle(method, params, token)
        self.reply(status, json.dumps(body).encode(), content_type="application/json",
                   headers=headers)


def seeded_workspace(latency: float = 0.0) -> FakeSlack:
    """A fake with a few people, a guest, a stranger, a response group and an issues channel."""
    fake = FakeSlack(latency=latency)
    fake.add_user("U0ALICE001", name="alice")
    fake.add_user("U0BOB00001", name="bob")
    fake.add_user("U0CAROL001", name="carol")
    fake.add_user("W0DAVE0001", name="dave")  # an Enterprise Grid id: internal
    fake.add_user("U0GUEST001", name="guest", is_restricted=True)
    fake.add_user("U0SINGLE01", name="single", is_ultra_restricted=True)
    fake.add_user("U0STRANGE1", name="stranger", is_stranger=True, team_id="T0OTHER001")
    fake.add_user("U0HELPER01", name="helperbot", is_bot=True)
    fake.add_usergroup("S0RESPOND1", ["U0BOB00001", "U0CAROL001"])
    fake.add_channel("issues", channel_id="C0ISSUES01", members=(BOT_USER_ID, "U0ALICE001"))
    fake.add_channel("general", channel_id="C0GENERAL1", members=("U0ALICE001", "U0BOB00001"))
    return fake
