"""`manage.py case_sandbox`: try Case in the browser, against a built-in Slack workspace."""

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import (
    ThreadedWSGIServer,
    WSGIRequestHandler,
    get_internal_wsgi_application,
)
from django.test.utils import override_settings

from slack_integration.sandbox.database import sandbox_database, use_database
from slack_integration.sandbox.runtime import Sandbox, sandbox_register, sandbox_settings
from slack_integration.sandbox.workspace import sandbox_workspace

LOOPBACK = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104  (names, not binds)


class QuietRequestHandler(WSGIRequestHandler):
    """Log requests as runserver does, except the page's once-a-second polling."""

    def log_message(self, format: str, *args: Any) -> None:
        status = str(args[1]) if len(args) > 1 else ""
        if status.startswith(("2", "3")) and self.path.startswith(("/sandbox/api/", "/static/")):
            return
        super().log_message(format, *args)


class Command(BaseCommand):
    help = (
        "Start Case wired to a built-in local Slack workspace, with a browser client at "
        "/sandbox/. Uses its own SQLite database (fresh each run) and runs tasks in-process; "
        "nothing is sent to Slack or PagerDuty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="0 picks a free port.")
        parser.add_argument("--host", default="127.0.0.1",
                            help="Address to listen on (default: this machine only).")
        parser.add_argument(
            "--database", type=Path, default=Path(settings.BASE_DIR) / "sandbox.sqlite3",
            help="The sandbox's SQLite file, recreated at each start.",
        )

    def handle(self, *args: Any, port: int, host: str, database: Path, **options: Any) -> None:
        database = database.resolve()
        self._fresh_database(database)
        fake = sandbox_workspace().start()
        sandbox = Sandbox(fake=fake, events_url="")
        # For the life of the process. override_settings, not plain assignment,
        # so Django's setting_changed receivers reset what they cache (storages).
        override_settings(**sandbox_settings(fake, sandbox.signing_secret)).enable()
        self._in_process_tasks()
        call_command("migrate", interactive=False, verbosity=0)
        try:
            server = ThreadedWSGIServer((host, port), QuietRequestHandler, ipv6=":" in host)
        except OSError as error:
            fake.stop()
            raise CommandError(f"Cannot listen on {host}:{port}: {error.strerror}.") from error
        server.set_app(StaticFilesHandler(get_internal_wsgi_application()))
        bound_port = server.server_address[1]
        loopback = LOOPBACK.get(host, host)
        shown_host = f"[{loopback}]" if ":" in loopback else loopback
        sandbox.events_url = f"http://{shown_host}:{bound_port}/slack/events"
        sandbox_register(sandbox)
        self._banner(f"http://{shown_host}:{bound_port}", database)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            sandbox_register(None)
            fake.stop()

    def _fresh_database(self, path: Path) -> None:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        use_database(sandbox_database(path))

    def _in_process_tasks(self) -> None:
        # No worker can reach the in-process workspace: run tasks here.
        from case_project.celery import app

        app.conf.task_always_eager = True
        app.conf.broker_url = "memory://"

    def _banner(self, base: str, database: Path) -> None:
        python = os.path.relpath(sys.executable) if not os.path.relpath(
            sys.executable).startswith("..") else sys.executable
        write, bold = self.stdout.write, self.style.SUCCESS
        write(bold("Case sandbox: a local Slack workspace, no Slack account needed."))
        write(f"  Sandbox:  {base}/sandbox/")
        write(f"  Admin:    {base}/admin/")
        write("  Create an admin user (in another terminal, while the sandbox runs):")
        write(f"    DATABASE_URL=sqlite:///{database} {python} manage.py createsuperuser")
        write(f"  Each run starts afresh (database: {database.name}). Quit with CONTROL-C.")
        self.stdout.flush()
