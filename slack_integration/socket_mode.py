"""The same Bolt app over Socket Mode: Slack connects out, no public URL needed.

Slack sends each request as an envelope over a WebSocket opened with the
app-level token (`xapp-…`, scope `connections:write`); the handler dispatches
its payload through the app exactly as `/slack/events` does, minus the
signature (the token authenticates the socket), and sends the ack back with
the envelope's id. A redelivered envelope carries the same trigger or event
id, so the database dedup acts on it once.
"""

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from slack_integration.after_ack import release_connections
from slack_integration.bolt_app import build_app


class CaseSocketModeHandler(SocketModeHandler):
    """Bolt's handler, with Django's connection hygiene around each envelope
    (the socket client's worker threads are not Django request threads)."""

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        release_connections()
        try:
            super().handle(client, req)
        finally:
            release_connections()


def socket_mode_handler(app_token: str) -> CaseSocketModeHandler:
    """A handler for the current settings' app; it connects only on `start()`."""
    return CaseSocketModeHandler(build_app(), app_token=app_token)
