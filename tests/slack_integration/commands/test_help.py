"""`/case help`, unknown subcommands, and the registry other modules plug into."""

import pytest

from slack_integration.commands import registry
from slack_integration.commands.registry import CommandContext, Reply, subcommand, subcommands
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db


def test_help_lists_every_registered_subcommand_and_the_shortcut(slack):
    slack.command("help", channel_id="D0ALICEDM1")
    text = text_of(reply_of(slack.command("HELP", channel_id="D0ALICEDM1")))
    for spec in subcommands():
        assert f"`/case {spec.usage.replace('<', '&lt;').replace('>', '&gt;')}`" in text
    assert "*Collect Evidence*" in text
    assert "Add to Investigation" not in text
    # Complete: every subcommand of the original is registered (so listed), each for real.
    assert {spec.name for spec in subcommands()} >= {
        "open", "list", "status", "incident", "resolve", "transfer", "close", "stats",
        "export", "help",
    }
    assert "coming soon" not in text.lower()


def test_an_unknown_subcommand_points_to_help(slack):
    slack.command("help")
    reply = reply_of(slack.command("frobnicate now"))
    assert reply["text"] == "⚠️ Unknown command `frobnicate`. Use `/case help` to see what Case can do."
    sneaky = reply_of(slack.command("&lt;!channel&gt;`x"))
    assert "<!channel>" not in sneaky["text"]


def test_a_second_function_for_one_subcommand_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})

    def first(ctx: CommandContext) -> Reply:
        return Reply.ephemeral("first")

    def second(ctx: CommandContext) -> Reply:
        return Reply.ephemeral("second")

    subcommand("stats", help="h")(first)
    subcommand("stats", help="h")(first)  # its module imported again
    assert registry.subcommand_get("STATS").handler is first
    with pytest.raises(ValueError, match="registered twice"):
        subcommand("stats", help="h")(second)


def test_help_orders_the_known_subcommands_first(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    for name in ("zebra", "help", "open"):
        subcommand(name, help=name)(lambda ctx: None)
    assert [spec.name for spec in subcommands()] == ["open", "help", "zebra"]
