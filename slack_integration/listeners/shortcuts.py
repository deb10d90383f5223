"""The "Collect Evidence" message shortcut, until its real listener lands (issue #4)."""

from typing import Any

from slack_bolt import Ack, App

from slack_integration.after_ack import run_after_ack
from slack_integration.blocks.replies import ephemeral_body
from slack_integration.ids import COLLECT_EVIDENCE_CALLBACK_ID, COLLECT_EVIDENCE_NAME
from slack_integration.payloads import response_url_of
from slack_integration.responses import response_post

COMING_SOON = f"🚧 *{COLLECT_EVIDENCE_NAME}* is coming soon."


def collect_evidence_placeholder(ack: Ack, body: dict[str, Any]) -> None:
    ack()
    url = response_url_of(body)
    run_after_ack(lambda: response_post(url, ephemeral_body(COMING_SOON)))


def register(app: App) -> None:
    app.shortcut(COLLECT_EVIDENCE_CALLBACK_ID)(collect_evidence_placeholder)
