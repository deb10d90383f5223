"""Deployment: the documented production settings pass `check --deploy`; gunicorn serves static files."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from case_project.security_settings import proxy_ssl_header
from tests.case_project.test_settings import settings_value

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "installation.md"
MARKER = "<!-- production-env"

# What the placeholders of the guide's block stand for, in valid shapes.
PLACEHOLDERS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "SLACK_BOT_TOKEN": "xoxb-1-2-placeholder",
    "SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef",
    "ISSUES_CHANNEL_ID": "C0ISSUES01",
    "INCIDENT_RESPONSE_GROUP_ID": "S0RESPOND1",
    "PAGERDUTY_ROUTING_KEY": "0123456789abcdef0123456789abcdef",
}


def documented_env() -> dict[str, str]:
    """The guide's production block, KEY=VALUE lines, placeholders filled in."""
    text = GUIDE.read_text()
    block = re.search(re.escape(MARKER) + r".*?```sh\n(.*?)```", text, re.DOTALL)
    assert block, f"{GUIDE} has no production-env block"
    env = {}
    for line in block.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition("=")
        if "<" in value:
            value = PLACEHOLDERS.get(key) or re.sub(r"<[^>]*>", "placeholder", value)
        env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO", "DATABASE", "SLACK", "PAGERDUTY", "CELERY", "CACHE"))}
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """STATIC_ROOT after `collectstatic`, as a deploy leaves it."""
    root = tmp_path_factory.mktemp("static")
    env = {"DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 60, "STATIC_ROOT": str(root),
           "DATABASE_URL": "sqlite:///:memory:"}
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    return root


def test_check_deploy_is_clean_with_the_documented_settings(collected):
    env = documented_env() | {"STATIC_ROOT": str(collected)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_the_https_settings(collected):
    """The same check fails loudly when the HTTPS part of the block is left out."""
    env = documented_env() | {"STATIC_ROOT": str(collected)}
    for key in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(key)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no SSL redirect


def test_check_deploy_warns_when_collectstatic_never_ran(tmp_path):
    env = documented_env() | {"STATIC_ROOT": str(tmp_path / "empty")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert "case.W002" in result.stderr
    assert "collectstatic" in result.stderr


def test_shared_cache_warning_with_a_broker_and_a_local_cache():
    env = documented_env() | {"CACHE_URL": ""}
    result = manage("check", env=env)
    assert "case.W001" in result.stderr


def test_sentry_dsn_without_the_sdk_is_a_warning_not_a_crash():
    from case_project.sentry import sentry_available

    env = {"DEBUG": "true", "SENTRY_DSN": "https://key@sentry.invalid/1",
           "DATABASE_URL": "sqlite:///:memory:"}
    if sentry_available():
        env["SENTRY_DSN"] = "not a dsn"
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
    assert "case.W003" in result.stderr


@pytest.mark.parametrize(
    ("header", "expected"),
    [("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
     (" x-forwarded-proto ", ("HTTP_X_FORWARDED_PROTO", "https")),
     ("", None)],
)
def test_proxy_ssl_header_from_the_header_name(header, expected):
    assert proxy_ssl_header(header) == expected


def test_https_switches_are_off_by_default_for_plain_http_runs():
    assert settings_value(
        "(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)",
        DEBUG="true",
    ) == "(None, False, 0)"


def test_cookies_are_secure_whenever_debug_is_off():
    expression = "(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    assert settings_value(expression, DEBUG="false", DJANGO_SECRET_KEY="k" * 60) == "(True, True)"
    assert settings_value(expression, DEBUG="true") == "(False, False)"
    assert settings_value(
        expression, DEBUG="false", DJANGO_SECRET_KEY="k" * 60, SECURE_COOKIES="false"
    ) == "(False, False)"
    assert settings_value(
        expression, DEBUG="false", DJANGO_SECRET_KEY="k" * 60, SECURE_COOKIES=""
    ) == "(True, True)"


@pytest.mark.django_db
def test_ssl_redirect_trusts_the_proxy_header_and_spares_health(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/admin/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert client.get("/admin/login/", headers={"x-forwarded-proto": "https"}).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_hsts_header_when_configured(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/healthz", headers={"x-forwarded-proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=3600"


# --- gunicorn + whitenoise, DEBUG off, end to end ---------------------------------


@pytest.fixture(scope="module")
def gunicorn_server(collected, tmp_path_factory):
    """The shipped gunicorn.conf.py serving Case with DEBUG off on a loopback port."""
    work = tmp_path_factory.mktemp("gunicorn")
    env = {
        "DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 60, "STATIC_ROOT": str(collected),
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}", "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2",
        "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "",
    }
    assert manage("migrate", "--noinput", env=env).returncode == 0
    log = work / "gunicorn.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT, env=clean | env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        port = None
        while port is None and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            port = found and found.group(1)
            time.sleep(0.1)
        assert port, log.read_text()
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=15)


def fetch(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    for _ in range(50):  # the worker may still be booting
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def test_admin_css_is_served_with_debug_off(gunicorn_server):
    base, _ = gunicorn_server
    status, _, page = fetch(f"{base}/admin/login/")
    assert status == 200
    css = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
    assert css, "the login page links no hashed admin CSS"
    status, headers, body = fetch(base + css.group(1).decode())
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert b"body" in body


def test_health_and_one_line_access_logs_through_gunicorn(gunicorn_server):
    base, log = gunicorn_server
    status, _, body = fetch(f"{base}/healthz")
    assert status == 200, body
    time.sleep(0.3)
    access = [line for line in log.read_text().splitlines() if "gunicorn.access" in line]
    assert any('"GET /healthz HTTP/1.1" 200' in line for line in access), log.read_text()
