""".ci/run fails the build on "no tests collected" and on a missing service.

It runs the script itself, only where it would install and start nothing
(PostgreSQL, Redis and the browser already there), so a laptop never has
packages installed by a test.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]
READY = (
    services.POSTGRES_AVAILABLE and services.REDIS_AVAILABLE
    and all(shutil.which(tool) for tool in ("make", "bash", "pg_isready", "redis-cli"))
    and Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()
    and Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf").exists()
    # make would reinstall the virtualenv first otherwise (slow, and online).
    and (ROOT / ".venv" / ".installed-stamp").exists()
    and (ROOT / ".venv" / ".installed-stamp").stat().st_mtime
    >= (ROOT / "pyproject.toml").stat().st_mtime
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not READY, reason=".ci/run would install or start services here"),
]


def ci_run(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        ["bash", str(ROOT / ".ci" / "run")],  # noqa: S607
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
        check=False,
    )


def test_no_tests_collected_fails_the_run():
    result = ci_run(PYTEST_ARGS="-k no_test_is_named_like_this")
    assert result.returncode != 0
    assert "No tests were collected" in result.stdout


def test_a_missing_service_fails_the_run():
    result = ci_run(TEST_REDIS_URL="redis://127.0.0.1:9/0",
                    PYTEST_ARGS="tests/investigations/test_naming.py")
    assert result.returncode != 0
    assert "CASE_REQUIRE_SERVICES is set but Redis: nothing answers at 127.0.0.1:9" in (
        result.stdout + result.stderr
    )
