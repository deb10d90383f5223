"""The `/case` slash command: the router answers in the ack, slow work follows it."""

from functools import partial
from typing import Any

from slack_bolt import Ack, App

from slack_integration.after_ack import run_after_ack
from slack_integration.commands import router
from slack_integration.ids import COMMAND
from slack_integration.payloads import SlashCommand, slash_command_from
from slack_integration.responses import response_post


def _finish(command: SlashCommand, name: str) -> None:
    reply = router.finish(command, name)
    if reply is not None:
        response_post(command.response_url, reply.as_body())


def case_command(ack: Ack, body: dict[str, Any]) -> None:
    command = slash_command_from(body)
    outcome = router.acknowledge(command)
    ack(outcome.reply.as_body()) if outcome.reply else ack()
    if outcome.after_ack:
        run_after_ack(partial(_finish, command, outcome.after_ack))


def register(app: App) -> None:
    app.command(COMMAND)(case_command)
