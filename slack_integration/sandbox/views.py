"""The sandbox's pages: a minimal Slack client for the built-in workspace.

The page polls `state`; what a person does (a message, `/case …`, Collect
Evidence, a modal's select and submit) is POSTed here and handed to
`platform`, which sends it to `/slack/events` as Slack would. Every view is
a 404 unless `manage.py case_sandbox` is running this process.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from slack_integration.fakes.slack_api import SlackRefusal
from slack_integration.sandbox import platform
from slack_integration.sandbox.blockkit import message_to_html, view_digest, view_to_html
from slack_integration.sandbox.mrkdwn import Directory
from slack_integration.sandbox.runtime import Sandbox, sandbox_current
from slack_integration.sandbox.workspace import ALICE, GENERAL_CHANNEL_ID, GROUP_HANDLES

View = Callable[..., HttpResponse]


class BadRequest(Exception):  # noqa: N818
    """A request the page should never send; answered 400 with the reason."""


def _person(sandbox: Sandbox, user_id: str) -> dict[str, Any]:
    user = sandbox.fake.users.get(user_id)
    if user is None or user["is_bot"]:
        raise BadRequest(f"No person {user_id!r} in this workspace.")
    return user


def _channel(sandbox: Sandbox, channel_id: str) -> dict[str, Any]:
    channel = sandbox.fake.channels.get(channel_id)
    if channel is None:
        raise BadRequest(f"No channel {channel_id!r} in this workspace.")
    return channel


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as error:
        raise BadRequest(f"The body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def sandbox_api(method: str) -> Callable[[View], View]:
    """A view of the running sandbox: 404 without one, 400 with the reason on a bad request."""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            sandbox = sandbox_current()
            if sandbox is None:
                raise Http404("The sandbox is not running.")
            if request.method != method:
                return HttpResponseNotAllowed([method])
            try:
                return view(request, sandbox, *args, **kwargs)
            except BadRequest as problem:
                return JsonResponse({"error": str(problem)}, status=400)
        return wrapper
    return decorate


def _acting(sandbox: Sandbox, data: dict[str, Any]) -> tuple[str, str]:
    """The person acting and the channel they act in, both checked."""
    user_id = _person(sandbox, str(data.get("person", "")))["id"]
    return user_id, _channel(sandbox, str(data.get("channel", "")))["id"]


def directory_for(sandbox: Sandbox, user_id: str) -> Directory:
    """Names, channels and the reader's time zone, to draw messages with."""
    fake = sandbox.fake
    with fake.lock:
        users = {uid: u["profile"].get("display_name") or u["name"] for uid, u in fake.users.items()}
        channels = {cid: c["name"] for cid, c in fake.channels.items()}
        groups = {gid: GROUP_HANDLES.get(gid, gid) for gid in fake.usergroups}
    try:
        tz = ZoneInfo(fake.users.get(user_id, {}).get("tz") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    return Directory(users=users, channels=channels, groups=groups,
                     team_domain=sandbox.team_domain, tz=tz)


def _people(sandbox: Sandbox) -> list[dict[str, Any]]:
    kinds = (("is_stranger", "other organisation"), ("is_ultra_restricted", "single-channel guest"),
             ("is_restricted", "guest"))
    return [
        {"id": user["id"], "name": user["profile"].get("display_name") or user["name"],
         "kind": next((label for flag, label in kinds if user.get(flag)), "member")}
        for user in sandbox.fake.users.values() if not user["is_bot"] and not user["deleted"]
    ]


def _channels(sandbox: Sandbox, user_id: str) -> list[dict[str, Any]]:
    fake = sandbox.fake
    with fake.lock:
        listed = [c for c in fake.channels.values()
                  if not c["is_im"] or user_id in c["members"]]
        return [
            {"id": c["id"], "name": c["name"], "archived": c["is_archived"], "dm": c["is_im"],
             "private": c["is_private"], "member": user_id in c["members"],
             "topic": c["topic"]["value"]}
            for c in sorted(listed, key=lambda c: (c["is_im"], c["name"]))
            if not c["is_private"] or user_id in c["members"]
        ]


def _messages(sandbox: Sandbox, channel_id: str, user_id: str) -> list[dict[str, Any]]:
    directory = directory_for(sandbox, user_id)
    shown = []
    for message in sandbox.fake.messages_in(channel_id):
        if message.get("ephemeral_to") not in (None, user_id):
            continue
        author = message.get("user", "")
        sent = datetime.fromtimestamp(float(message["ts"]), tz=UTC).astimezone(directory.tz)
        shown.append({
            "ts": message["ts"],
            "author": directory.user(author),
            "app": sandbox.fake.users.get(author, {}).get("is_bot", False),
            "time": f"{sent:%H:%M}",
            "html": message_to_html(message, directory),
            "files": [sandbox.fake.files.get(f, {}).get("title") or f
                      for f in message.get("files", [])],
            "ephemeral": "ephemeral_to" in message,
            "thread": bool(message.get("thread_ts")),
            "broadcast": bool(message.get("reply_broadcast")),
            "edited": bool(message.get("edited")),
        })
    return shown


@sandbox_api("GET")
@ensure_csrf_cookie
def index(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    return render(request, "sandbox/index.html", {
        "team_domain": sandbox.team_domain,
        "first_person": ALICE,
        "first_channel": GENERAL_CHANNEL_ID,
        "shortcut_name": platform.EVIDENCE_SHORTCUT[0],
    })


@sandbox_api("GET")
def state(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    """The page's whole state for one person in one channel (and an open modal)."""
    user_id, channel_id = _acting(sandbox, request.GET.dict())
    messages = _messages(sandbox, channel_id, user_id)
    digest = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()[:16]
    data: dict[str, Any] = {
        "people": _people(sandbox), "channels": _channels(sandbox, user_id),
        "messages": messages, "digest": digest,
    }
    view_id = request.GET.get("view", "")
    if view_id:
        view = sandbox.fake.views.get(view_id)
        data["view"] = _modal(sandbox, view, user_id) if view else None
    return JsonResponse(data)


def _modal(sandbox: Sandbox, view: dict[str, Any], user_id: str) -> dict[str, Any]:
    directory = directory_for(sandbox, user_id)
    return {
        "id": view["id"],
        "digest": hashlib.sha256(view_digest(view).encode()).hexdigest()[:16],
        "title": (view.get("title") or {}).get("text", ""),
        "submit": (view.get("submit") or {}).get("text", ""),
        "close": (view.get("close") or {}).get("text", "Cancel"),
        "html": view_to_html(view, directory),
    }


@sandbox_api("POST")
def send(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    """What a person typed: `/case …` goes to Case; other text is a message."""
    data = _body(request)
    user_id, channel_id = _acting(sandbox, data)
    text = str(data.get("text", "")).strip()
    if not text:
        raise BadRequest("Type a message or a /case command.")
    if text.startswith("/"):
        command, _, rest = text.partition(" ")
        if command.lower() != platform.COMMAND:
            return JsonResponse({"ok": False, "error": f"{command} is not a valid command. "
                                 f"This workspace has {platform.COMMAND}."})
        answer = platform.slash_command(sandbox, user_id=user_id, channel_id=channel_id,
                                        text=rest.strip())
        return JsonResponse({"ok": not answer.error, "error": answer.error,
                             "status": answer.status})
    try:
        sandbox.fake.post_user_message(channel_id, user_id, text)
    except SlackRefusal as refusal:
        return JsonResponse({"ok": False, "error": refusal.error})
    return JsonResponse({"ok": True})


@sandbox_api("POST")
def shortcut(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    """Collect Evidence on a message: the modal the app opened, if it opened one."""
    data = _body(request)
    user_id, channel_id = _acting(sandbox, data)
    view = platform.message_shortcut(sandbox, user_id=user_id, channel_id=channel_id,
                                     message_ts=str(data.get("ts", "")))
    return JsonResponse({"view": _modal(sandbox, view, user_id) if view else None})


def _open_view(sandbox: Sandbox, data: dict[str, Any]) -> dict[str, Any]:
    view = sandbox.fake.views.get(str(data.get("view_id", "")))
    if view is None:
        raise BadRequest("That modal is no longer open.")
    return dict(view)


@sandbox_api("POST")
def suggest(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    """An external select's options for what the person typed so far."""
    data = _body(request)
    user_id = _person(sandbox, str(data.get("person", "")))["id"]
    options = platform.block_suggestion(
        sandbox, user_id=user_id, view=_open_view(sandbox, data),
        block_id=str(data.get("block_id", "")), action_id=str(data.get("action_id", "")),
        value=str(data.get("value", "")),
    )
    return JsonResponse({"options": options})


@sandbox_api("POST")
def submit(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    """Submit the open modal; close it, show field errors, or show its new view."""
    data = _body(request)
    user_id = _person(sandbox, str(data.get("person", "")))["id"]
    entered = data.get("values") or {}
    if not isinstance(entered, dict):
        raise BadRequest("values must be an object of block_id to {value, text}.")
    outcome = platform.view_submission(sandbox, user_id=user_id, view=_open_view(sandbox, data),
                                       entered=entered)
    if outcome["action"] == "update":
        outcome["view"] = _modal(sandbox, outcome["view"], user_id)
    return JsonResponse(outcome)
