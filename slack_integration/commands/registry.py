"""The `/case` subcommands, registered by the modules that implement them.

A module plugs a subcommand in with the decorator and is imported at start
(its app's `AppConfig.ready()`):

    @subcommand("stats", help="Operational dashboard", usage="stats")
    def stats(ctx: CommandContext) -> Reply:
        return Reply.ephemeral("…")

A handler runs before the ack, so it must be quick and call no Slack API:
read, validate, call a domain service. One that changes state or calls Slack
registers with `after_ack=True`: the ack then carries what `acknowledge`
returns (pure validation, or "⏳ …"), and the handler runs after it, its
reply posted to the command's response_url. Refusals are raised as
`investigations.exceptions.InvestigationError` or `CommandRefused`; the
router shows their message. `help` and the welcome text are generated from
this registry, so a new subcommand documents itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from investigations.models import Investigation
from slack_integration.payloads import SlashCommand

# The order `help` lists them in; anything else comes after, by name.
HELP_ORDER = (
    "open", "list", "status", "incident", "resolve", "transfer", "close", "stats", "export",
    "help",
)


class CommandRefused(Exception):  # noqa: N818  (a refusal shown to the user, not a crash)
    """A request the command will not carry out, with the reason to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reply:
    """What the person sees: fallback text, blocks, and who sees it."""

    text: str
    blocks: tuple[dict[str, Any], ...] = ()
    in_channel: bool = False

    @classmethod
    def ephemeral(cls, text: str, *blocks: dict[str, Any]) -> "Reply":
        return cls(text=text, blocks=tuple(blocks))

    @classmethod
    def of_message(cls, content: dict[str, Any]) -> "Reply":
        """An ephemeral reply showing a `blocks.base.message()` (text and blocks)."""
        return cls.ephemeral(content["text"], *content["blocks"])

    @classmethod
    def public(cls, text: str, *blocks: dict[str, Any]) -> "Reply":
        return cls(text=text, blocks=tuple(blocks), in_channel=True)

    def as_body(self) -> dict[str, Any]:
        """The JSON Slack takes in an ack or on a response_url."""
        body: dict[str, Any] = {
            "response_type": "in_channel" if self.in_channel else "ephemeral",
            "text": self.text,
        }
        if self.blocks:
            body["blocks"] = list(self.blocks)
        return body


@dataclass(frozen=True)
class CommandContext:
    command: SlashCommand
    name: str
    args: str  # as Slack sent it (escaped, tokens intact)
    # The investigation whose channel this is (always set for in_case_channel).
    investigation: Investigation | None = None

    def case(self) -> Investigation:
        """The channel's investigation, for an `in_case_channel` subcommand."""
        if self.investigation is None:  # the router refuses first; this narrows the type
            raise CommandRefused(f"`/case {self.name}` works only in an investigation's channel.")
        return self.investigation


Handler = Callable[[CommandContext], Reply | None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    handler: Handler
    help: str
    usage: str
    in_case_channel: bool = False
    after_ack: bool = False
    acknowledge: Handler | None = None


_REGISTRY: dict[str, Subcommand] = {}


def _qualified(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def subcommand(
    name: str,
    *,
    help: str,
    usage: str = "",
    in_case_channel: bool = False,
    after_ack: bool = False,
    acknowledge: Handler | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as `/case <name>`.

    Two functions for one name are a programming error; the same function
    again (its module imported twice) is not.
    """

    def register(handler: Handler) -> Handler:
        spec = Subcommand(
            name=name.lower(), handler=handler, help=help, usage=usage or name,
            in_case_channel=in_case_channel, after_ack=after_ack, acknowledge=acknowledge,
        )
        existing = _REGISTRY.get(spec.name)
        if existing is not None and _qualified(existing.handler) != _qualified(handler):
            raise ValueError(f"/case {spec.name} is registered twice")
        _REGISTRY[spec.name] = spec
        return handler

    return register


def subcommand_get(name: str) -> Subcommand | None:
    return _REGISTRY.get(name.lower())


def subcommands() -> list[Subcommand]:
    """Every registered subcommand, in help order."""

    def position(spec: Subcommand) -> tuple[int, str]:
        order = HELP_ORDER.index(spec.name) if spec.name in HELP_ORDER else len(HELP_ORDER)
        return order, spec.name

    return sorted(_REGISTRY.values(), key=position)
