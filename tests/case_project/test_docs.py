"""The operator's documents keep up with the code: every variable, scope and process."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
GUIDE = ROOT / "docs" / "installation.md"
README = ROOT / "README.md"
MANIFESTS = (
    ROOT / "slack_integration" / "manifest.yml",
    ROOT / "slack_integration" / "manifest.socket.yml",
)
# Where the running code (not tests, not bench/) reads the environment.
CONFIG_SOURCES = ("case_project", "investigations", "reporting", "slack_integration")
ENV_READS = (
    re.compile(r"""\benv(?:\.\w+|_str|_list|_int|_float|_bool)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""\bos\.environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""\bos\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""\b_(?:int|str|list)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),  # gunicorn.conf.py's
)
# Set by Python or the shell, not configuration of Case.
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE"}


def variables_read() -> dict[str, str]:
    """Every environment variable the code reads, with a file that reads it."""
    files = [ROOT / "gunicorn.conf.py", ROOT / "manage.py"]
    for package in CONFIG_SOURCES:
        files.extend(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)
    found: dict[str, str] = {}
    for path in files:
        text = path.read_text()
        for pattern in ENV_READS:
            for name in pattern.findall(text):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return {name: where for name, where in found.items() if name not in NOT_CONFIGURATION}


def variables_documented() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))


def test_the_scan_finds_the_variables_it_is_meant_to():
    read = variables_read()
    # One read through each pattern: django-environ, os.environ, gunicorn's helper.
    assert {"DATABASE_URL", "SLACK_BOT_TOKEN", "GUNICORN_BIND", "GUNICORN_WORKERS"} <= set(read)


def test_env_example_documents_every_variable_the_code_reads():
    undocumented = {name: where for name, where in variables_read().items()
                    if name not in variables_documented()}
    assert not undocumented, f"add these to .env.example, with a comment: {undocumented}"


def test_env_example_names_only_variables_the_code_reads():
    stale = variables_documented() - set(variables_read())
    assert not stale, f".env.example documents variables nothing reads: {sorted(stale)}"


def test_every_variable_in_env_example_is_explained_by_a_comment():
    unexplained = []
    lines = ENV_EXAMPLE.read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            # A comment above it, or above the group of variables it belongs to.
            above = index - 1
            while above >= 0 and re.match(r"^[A-Z][A-Z0-9_]*=", lines[above]):
                above -= 1
            if above < 0 or not lines[above].startswith("#"):
                unexplained.append(line.split("=", 1)[0])
    assert not unexplained, f"no comment explains: {unexplained}"


def manifest_scopes() -> set[str]:
    scopes: set[str] = set()
    for path in MANIFESTS:
        scopes.update(yaml.safe_load(path.read_text())["oauth_config"]["scopes"]["bot"])
    return scopes


def test_the_guide_says_what_each_scope_of_the_manifests_is_for():
    table = GUIDE.read_text().split("### What each scope is for", 1)[1].split("\n## ", 1)[0]
    explained = set(re.findall(r"^\| `([a-z:._]+)` \|", table, re.MULTILINE))
    assert explained == manifest_scopes()


@pytest.mark.parametrize(
    "topic",
    [
        r"manifest", r"Socket Mode", r"PostgreSQL", r"Redis", r"celery -A case_project worker",
        r"celery -A case_project beat", r"gunicorn -c gunicorn\.conf\.py", r"nginx",
        r"SECURE_PROXY_SSL_HEADER", r"max_connections", r"manage\.py migrate",
        r"(?i)backups?", r"(?i)scaling out", r"(?i)upgrades?", r"collectstatic", r"/healthz",
        r"slack_doctor",
    ],
)
def test_the_installation_guide_covers(topic):
    assert re.search(topic, GUIDE.read_text()), f"docs/installation.md never mentions {topic!r}"


@pytest.mark.parametrize(
    "command",
    ["celery -A case_project worker", "celery -A case_project beat", "make run",
     "CELERY_VISIBILITY_TIMEOUT", "docs/installation.md"],
)
def test_the_readme_names_the_processes_and_where_to_read_more(command):
    assert command in README.read_text()


def test_the_guides_production_settings_keep_health_checked_connections():
    from tests.case_project.test_deploy import documented_env
    from tests.case_project.test_settings import settings_value

    env = documented_env()
    env["DATABASE_URL"] = "postgres://case@127.0.0.1:5432/case"  # parsed only, never reached
    database = settings_value(
        "(settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS'])", **env
    )
    assert database == f"({int(env['CONN_MAX_AGE'])}, True)"
    assert int(env["CONN_MAX_AGE"]) > 0
