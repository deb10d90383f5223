"""`manage.py case_sandbox` as a person runs it: a real server on a free port."""

import http.cookiejar
import json
import re
import socket
import sqlite3
import urllib.error
import urllib.request

import pytest

from slack_integration.sandbox.workspace import ALICE, BOB, GENERAL_CHANNEL_ID
from tests.conftest import wait_until
from tests.slack_integration.sandbox.live import launch, launch_sandbox


class Browserless:
    """Cookies and CSRF as the page's script handles them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def send(self, path: str, data: bytes | None = None, **headers: str) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, data, headers)  # noqa: S310  (loopback)
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.send(path)

    def post(self, path: str, body: dict) -> dict:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        status, answer = self.send(path, json.dumps(body).encode(), **{
            "Content-Type": "application/json", "X-CSRFToken": token})
        assert status == 200, answer
        return json.loads(answer)


@pytest.fixture
def live_sandbox(tmp_path):
    live, base = launch_sandbox(tmp_path)
    yield live, base
    live.stop()


def test_the_banner_says_where_to_go_and_how_to_get_an_admin(live_sandbox, tmp_path):
    live, base = live_sandbox
    assert re.match(r"http://127\.0\.0\.1:\d+$", base)
    assert f"Admin:    {base}/admin/" in live.output
    assert f"DATABASE_URL=sqlite:///{tmp_path / 'sandbox.sqlite3'}" in live.output
    assert "manage.py createsuperuser" in live.output


def test_it_serves_the_page_static_files_and_the_admin(live_sandbox):
    _, base = live_sandbox
    client = Browserless(base)
    assert client.get("/sandbox/")[0] == 200
    assert client.get("/static/sandbox/sandbox.js")[0] == 200
    status, body = client.get("/admin/login/")
    assert status == 200
    assert b"/static/admin/css/base.css" in body
    assert client.get("/static/admin/css/base.css")[0] == 200


def test_slack_events_refuses_an_unsigned_request(live_sandbox):
    _, base = live_sandbox
    status, _ = Browserless(base).send("/slack/events", b"command=%2Fcase&text=help", **{
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401


def test_case_help_goes_through_case_and_only_its_person_sees_the_answer(live_sandbox):
    _, base = live_sandbox
    client = Browserless(base)
    client.get("/sandbox/")
    sent = client.post("/sandbox/api/send", {"person": ALICE, "channel": GENERAL_CHANNEL_ID,
                                             "text": "/case help"})
    assert sent == {"ok": True, "error": "", "status": 200}

    def replies(person: str) -> list[str]:
        _, body = client.get(f"/sandbox/api/state?person={person}&channel={GENERAL_CHANNEL_ID}")
        return [m["html"] for m in json.loads(body)["messages"] if m["ephemeral"]]

    assert wait_until(lambda: replies(ALICE), timeout=10)
    assert any("/case open" in html for html in replies(ALICE)), replies(ALICE)
    assert replies(BOB) == []


def test_each_run_starts_afresh_on_its_own_database(tmp_path):
    database = tmp_path / "sandbox.sqlite3"
    database.write_bytes(b"left over from a previous run")
    live, _ = launch_sandbox(tmp_path)
    try:
        with sqlite3.connect(database) as db:
            tables = {row[0] for row in db.execute("select name from sqlite_master")}
        assert "investigations_investigation" in tables
        assert not (tmp_path / "db.sqlite3").exists()  # DATABASE_URL's file is left alone
    finally:
        assert live.stop() == 0


def test_a_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        live = launch("case_sandbox", "--port", str(port), "--database",
                      str(tmp_path / "sandbox.sqlite3"), tmp_path=tmp_path)
        assert live.process.wait(timeout=60) != 0
    assert f"Cannot listen on 127.0.0.1:{port}: Address already in use." in live.output
    assert "Traceback" not in live.output
