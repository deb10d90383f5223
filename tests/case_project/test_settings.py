"""Settings come from the environment; problems are system checks, not crashes."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    clean.update(env)
    clean.setdefault("DATABASE_URL", "sqlite:///:memory:")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
        capture_output=True, text=True, timeout=60, check=False,
    )


def settings_value(expression: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="case_project.settings")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=60, check=True,
    )
    return result.stdout.strip()


def test_missing_secret_key_is_a_check_error_not_a_crash():
    result = run_manage("check", DEBUG="false", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "case.E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_needs_no_secret_key():
    result = run_manage("check", DEBUG="true", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_unsupported_database_is_a_check_error():
    result = run_manage("check", DEBUG="true", DATABASE_URL="mysql://u@localhost/x")
    assert "case.E002" in result.stderr


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_both_postgres_schemes_select_psycopg(scheme):
    engine = settings_value(
        "settings.DATABASES['default']['ENGINE']", DEBUG="true",
        DATABASE_URL=f"{scheme}://u@db.example:5432/case",
    )
    assert engine == "django.db.backends.postgresql"


def test_default_database_is_a_sqlite_file_in_the_project():
    name = settings_value("settings.DATABASES['default']['NAME']", DEBUG="true", DATABASE_URL="")
    assert name == str(ROOT / "db.sqlite3")


def test_lists_are_trimmed_and_empty_means_unset():
    hosts = settings_value(
        "settings.ALLOWED_HOSTS", DEBUG="false", ALLOWED_HOSTS=" a.example , ,b.example ",
    )
    assert hosts == "['a.example', 'b.example']"
    assert settings_value("settings.ALLOWED_WORKSPACE_IDS", ALLOWED_WORKSPACE_IDS="") == "[]"


def test_no_broker_means_explicitly_eager_tasks():
    assert settings_value(
        "__import__('case_project.celery').celery.app.conf.task_always_eager", CELERY_BROKER_URL=""
    ) == "True"
    assert settings_value(
        "__import__('case_project.celery').celery.app.conf.broker_url", CELERY_BROKER_URL=""
    ) == "memory://"


def test_check_lists_every_configuration_problem_at_once_with_ids_and_hints():
    result = run_manage(
        "check", DEBUG="false", DJANGO_SECRET_KEY="", DATABASE_URL="mysql://u@localhost/x",
        SLACK_BOT_TOKEN="xoxp-user-token", SLACK_SIGNING_SECRET="s", SLACK_APP_TOKEN="nope",
        ISSUES_CHANNEL_ID="", PAGERDUTY_ROUTING_KEY="short",
    )
    assert result.returncode != 0
    for check_id in ("case.E001", "case.E002", "slack_integration.E001",
                     "slack_integration.E002", "slack_integration.E003", "pagerduty.E001"):
        assert f"({check_id})" in result.stderr
    assert result.stderr.count("HINT:") >= 6
    assert "Traceback" not in result.stderr


def test_a_command_that_does_not_need_slack_runs_with_slack_misconfigured(tmp_path):
    broken = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
              "SLACK_BOT_TOKEN": "not-a-bot-token", "SLACK_SIGNING_SECRET": "s",
              "ISSUES_CHANNEL_ID": "", "PAGERDUTY_ROUTING_KEY": "short"}
    migrated = run_manage("migrate", "--noinput", **broken)
    assert migrated.returncode == 0, migrated.stderr
    # The problems are still shown, as warnings.
    assert "(slack_integration.E001)" in migrated.stdout + migrated.stderr
    exported = run_manage("export_cases", "--output", str(tmp_path / "cases.csv"), **broken)
    assert exported.returncode == 0, exported.stderr
    # Where Slack is served, or asked about, they stop the command.
    assert run_manage("check", **broken).returncode != 0


@pytest.mark.parametrize(
    ("env", "bind", "forwarded"),
    [({}, "127.0.0.1:8000", "127.0.0.1,::1"),
     ({"GUNICORN_BIND": " ", "GUNICORN_FORWARDED_ALLOW_IPS": ""}, "127.0.0.1:8000",
      "127.0.0.1,::1"),
     ({"GUNICORN_BIND": " 0.0.0.0:9000 ", "GUNICORN_FORWARDED_ALLOW_IPS": " 10.0.0.1 , ,10.0.0.2 "},
      "0.0.0.0:9000", "10.0.0.1,10.0.0.2")],
    ids=["unset", "empty-means-unset", "trimmed"],
)
def test_gunicorn_settings_are_trimmed_and_empty_means_the_default(monkeypatch, env, bind,
                                                                   forwarded):
    for name in ("GUNICORN_BIND", "GUNICORN_FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["bind"], config["forwarded_allow_ips"]) == (bind, forwarded)


def test_empty_numbers_and_switches_mean_their_default():
    values = settings_value(
        "(settings.SLACK_API_TIMEOUT, settings.HEARTBEAT_INTERVAL, settings.DEBUG)",
        SLACK_API_TIMEOUT="", HEARTBEAT_INTERVAL=" ", DEBUG="",
    )
    assert values == "(10, 30.0, False)"
    assert settings_value("settings.DEBUG", DEBUG=" Yes ") == "True"


def test_an_unreadable_number_or_switch_is_a_check_error_not_a_crash():
    result = run_manage("check", DEBUG="true", SLACK_API_TIMEOUT="ten", SECURE_SSL_REDIRECT="maybe")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "(case.E003) SLACK_API_TIMEOUT='ten' is not a whole number" in result.stderr
    assert "(case.E003) SECURE_SSL_REDIRECT='maybe' is not true or false" in result.stderr
