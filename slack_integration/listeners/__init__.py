"""Bolt listeners, thin: ack → parse → service → render → respond.

Each module exposes `register(app)`; `LISTENER_MODULES` lists them in the
order Bolt tries them. A module added here is wired into both the HTTP and
the Socket Mode app.
"""

from importlib import import_module

from slack_bolt import App

LISTENER_MODULES = (
    "slack_integration.listeners.commands",
    "slack_integration.listeners.evidence",
)


def register_listeners(app: App) -> None:
    for name in LISTENER_MODULES:
        import_module(name).register(app)
