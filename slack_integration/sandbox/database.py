"""The sandbox's own SQLite database, so a demo never writes to a real one."""

from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def sandbox_database(path: Path) -> dict:
    """SQLite settings for the sandbox: waits for locks, writes one at a time.

    The page, /slack/events and the outbox write from several threads;
    IMMEDIATE transactions take the write lock up front, so two writers
    queue instead of failing to upgrade a read lock.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


def use_database(database: dict) -> None:
    """Point the default database at `database`; call before any query runs.

    Settings are read once at start-up; the sandbox decides its database
    later, in its command, so the connection handler is told to re-read.
    """
    if hasattr(connections._connections, DEFAULT_DB_ALIAS):
        connections[DEFAULT_DB_ALIAS].close()
        del connections[DEFAULT_DB_ALIAS]
    settings.DATABASES[DEFAULT_DB_ALIAS] = database
    connections.__dict__.pop("settings", None)  # a cached_property: re-read with defaults
    connections._settings = settings.DATABASES
