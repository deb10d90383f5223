"""Start `manage.py case_sandbox` (or `case_run`) as a real process, as a person would."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BANNER = re.compile(r"Sandbox:\s+(http://\S+)/sandbox/")
# Nothing from the developer's environment or .env may aim the run at a real
# Slack, PagerDuty, Sentry or database: explicit empty values win over .env.
CLEAN_ENV = {
    "DJANGO_SETTINGS_MODULE": "case_project.settings", "DEBUG": "true", "PYTHONUNBUFFERED": "1",
    "SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_APP_TOKEN": "",
    "CELERY_BROKER_URL": "", "PAGERDUTY_ROUTING_KEY": "", "SENTRY_DSN": "", "CACHE_URL": "",
}


@dataclass
class LiveProcess:
    process: subprocess.Popen
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: re.Pattern, timeout: float = 90.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.output)
            if found:
                return found
            if self.process.poll() is not None:
                raise AssertionError(f"exited {self.process.returncode}:\n{self.output}")
            time.sleep(0.1)
        raise AssertionError(f"no {pattern.pattern!r} within {timeout}s:\n{self.output}")

    def stop(self) -> int:
        """Quit as with CONTROL-C; kill if it does not."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def launch(*args: str, tmp_path: Path, env: dict[str, str] | None = None) -> LiveProcess:
    log = tmp_path / f"{args[0]}.log"
    environment = os.environ | CLEAN_ENV | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    process = subprocess.Popen(  # noqa: S603  (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment | (env or {}),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    return LiveProcess(process, log)


def launch_sandbox(tmp_path: Path) -> tuple[LiveProcess, str]:
    """A sandbox on a free port; its base URL (http://127.0.0.1:PORT)."""
    live = launch("case_sandbox", "--port", "0", "--database", str(tmp_path / "sandbox.sqlite3"),
                  tmp_path=tmp_path)
    return live, live.wait_for(BANNER).group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
