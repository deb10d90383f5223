"""The HTTP plumbing every loopback fake shares: a quiet handler, a server.

A threaded `http.server` on 127.0.0.1, port 0, in a daemon thread. Used by
the fake Slack Web API (tests, the sandbox, benchmarks), the fake PagerDuty
Events API and the tests' stand-in apps: no pytest imports here.
"""

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# shutdown() waits up to one poll: a short one keeps each test's stop fast.
POLL_SECONDS = 0.05


class LoopbackHandler(BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler; a fake's subclass reads `body()` and `reply()`s."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def body(self) -> bytes:
        """The request's body (empty without a Content-Length)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(
        self, status: int, body: bytes, *, content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer with `body`; a client that already gave up is no error."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a client timeout, as in the tests of slow answers


class LoopbackServer:
    """Serve a `LoopbackHandler` subclass on a free loopback port until `stop()`.

    `attributes` are set on a subclass made for this server (for example the
    fake the handler answers for), so two servers never share state.
    """

    def __init__(self, handler: type[LoopbackHandler], **attributes: Any) -> None:
        bound = type(handler.__name__, (handler,), attributes)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
            daemon=True,
        ).start()

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:<port>`, without a trailing slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
