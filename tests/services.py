"""Which real services the test run has: probed once, before Django starts.

PostgreSQL and Redis are used at TEST_DATABASE_URL and TEST_REDIS_URL (both
default to 127.0.0.1). Where one does not answer, the tests that need it are
skipped with this module's reason, unless CASE_REQUIRE_SERVICES is set (CI),
which turns a missing service into a failed run.
"""

import os
import socket
from urllib.parse import urlparse

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRED = os.environ.get("CASE_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _answers(url: str, default_port: int) -> str | None:
    """None when the service's port accepts a connection, else why not."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return None
    except OSError as error:
        return f"nothing answers at {host}:{port} ({error.strerror or error})"


def _postgres_problem() -> str | None:
    problem = _answers(POSTGRES_URL, 5432)
    if problem:
        return problem
    import psycopg

    parsed = urlparse(POSTGRES_URL)
    try:
        psycopg.connect(
            host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
            password=parsed.password, dbname=parsed.path.lstrip("/") or "postgres",
            connect_timeout=2,
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL refused the connection: {str(error).strip()}"
    return None


POSTGRES_PROBLEM = _postgres_problem()
REDIS_PROBLEM = _answers(REDIS_URL, 6379)
POSTGRES_AVAILABLE = POSTGRES_PROBLEM is None
REDIS_AVAILABLE = REDIS_PROBLEM is None
