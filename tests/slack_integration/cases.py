"""Cases as they stand once opened in the fake Slack, and outbox delivery helpers."""

from django.db import transaction
from django.utils import timezone

from investigations import services
from investigations.effects import Effect
from investigations.models import Investigation, OutboxMessage
from investigations.outbox import outbox_deliver
from slack_integration.client import slack_client
from slack_integration.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlack
from tests.slack_integration.conftest import reply_of, text_of

# All the text of a message (fallback, blocks, fields, context), as one string.
block_text = text_of

ISSUES_CHANNEL = "C0ISSUES01"


def case_opened_in_slack(
    fake: FakeSlack, *, title: str = "API response times increasing",
    opener: str = "U0ALICE001", members: tuple[str, ...] = (),
) -> Investigation:
    """An open case with its channel and announcement in the fake, as the
    `slack.open_channel` handler leaves it; that handler's row is marked done
    in the same transaction, so it is never delivered here."""
    with transaction.atomic():
        investigation = services.investigation_open(title=title, opened_by=opener, team_id=TEAM_ID)
        OutboxMessage.objects.filter(
            investigation=investigation, kind=Effect.SLACK_OPEN_CHANNEL
        ).update(status=OutboxMessage.Status.DELIVERED, delivered_at=timezone.now())
        channel_id = fake.add_channel(
            investigation.name, members=(BOT_USER_ID, opener, *members)
        )
        services.investigation_set_channel(investigation_id=investigation.pk, channel_id=channel_id)
        ts = slack_client().chat_postMessage(
            channel=ISSUES_CHANNEL, text=f"New case opened: {investigation.name}"
        )["ts"]
        services.investigation_set_announcement(investigation_id=investigation.pk, ts=ts)
        investigation = services.investigation_activate(investigation_id=investigation.pk)
    with fake.lock:
        fake.calls.clear()
    return investigation


def pending(kind: str | None = None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("id")
    return list(rows.filter(kind=kind) if kind else rows)


def deliver_pending(rounds: int = 5) -> list[tuple[str, str]]:
    """Deliver every pending row in order, as workers would, ignoring
    countdowns; return (kind, outcome) per delivery."""
    outcomes = []
    for _ in range(rounds):
        rows = pending()
        if not rows:
            break
        for row in rows:
            outcomes.append((row.kind, outbox_deliver(row.pk).status))
    return outcomes


def posts_in(fake: FakeSlack, channel_id: str) -> list[dict]:
    return [c for c in fake.calls_to("chat.postMessage") if c.get("channel") == channel_id]


def say(slack, text: str, *, user: str = "U0ALICE001", channel: str) -> str:
    """Type `/case <text>` through a signed request (the `slack` fixture); return
    everything the person is told: the ack and what follows on the response_url."""
    before = len(slack.fake.responses)
    ack = reply_of(slack.command(text, user_id=user, channel_id=channel))
    bodies = [ack, *slack.fake.responses[before:]]
    return "\n".join(text_of(body) for body in bodies if body)
