"""`/case open <title>` end to end: signed request, ack, outbox, the fake Slack's state."""

import re

import pytest

from investigations.models import AuditEvent, Investigation
from slack_integration.fakes.slack_api import BOT_USER_ID
from tests.slack_integration.cases import block_text
from tests.slack_integration.conftest import ALICE, ISSUES, reply_of

pytestmark = pytest.mark.django_db


def open_case(slack, capture, text: str, **kwargs) -> tuple[dict, Investigation | None]:
    """Send `/case <text>`, run the outbox effects; (the ack's reply, the investigation)."""
    slack.command("help", user_id=kwargs.get("user_id", ALICE))  # the person is known
    with capture(execute=True):
        reply = reply_of(slack.command(text, **kwargs))
    return reply, Investigation.objects.order_by("-id").first()


def test_open_creates_the_channel_announces_welcomes_and_confirms(
    slack, django_capture_on_commit_callbacks
):
    reply, investigation = open_case(slack, django_capture_on_commit_callbacks, "open API down")
    fake = slack.fake
    assert reply["response_type"] == "ephemeral"
    assert "Opening an investigation: API down" in reply["text"]

    assert investigation.status == Investigation.Status.INVESTIGATING
    channel = fake.channels[investigation.channel_id]
    assert channel["name"] == investigation.name
    assert investigation.name.startswith("case-api-down-")
    assert not channel["is_private"]
    assert channel["topic"]["value"] == "🔍 API down"
    assert {ALICE, BOT_USER_ID} <= channel["members"]
    assert investigation.channel_url == (
        f"https://case-test.slack.com/archives/{investigation.channel_id}"
    )

    announcement = fake.messages_in(ISSUES)[-1]
    assert announcement["ts"] == investigation.announcement_ts
    assert announcement["text"]  # a plain fallback for notifications
    assert f"<#{investigation.channel_id}>" in block_text(announcement)

    welcome = fake.messages_in(investigation.channel_id)[0]
    welcome_text = block_text(welcome)
    assert welcome["text"]
    assert "/case resolve" in welcome_text
    assert "Collect Evidence" in welcome_text
    assert "In this channel: `/case status`" in welcome_text
    assert "Anywhere, DMs included: `/case open`, `/case list`" in welcome_text

    confirmation = fake.responses[-1]
    assert confirmation["response_type"] == "ephemeral"
    assert f"<#{investigation.channel_id}>" in confirmation["text"]
    actions = list(investigation.audit_events.values_list("action", flat=True))
    assert actions == [AuditEvent.Action.OPENED, AuditEvent.Action.CHANNEL_CREATED,
                       AuditEvent.Action.ACTIVATED]


@pytest.mark.parametrize(
    ("typed", "sent", "stored"),
    [
        ("Checkout (EU) down", "Checkout (EU) down", "Checkout (EU) down"),
        ('Error "500" on checkout', 'Error "500" on checkout', 'Error "500" on checkout'),
        ("DB & cache", "DB &amp; cache", "DB & cache"),
        ("Can't login", "Can't login", "Can't login"),
        ("https://status.example.com/42 down", "<https://status.example.com/42> down",
         "https://status.example.com/42 down"),
        ("payments slow...", "payments slow...", "payments slow..."),
        ("🔥 checkout on fire", "🔥 checkout on fire", "🔥 checkout on fire"),
        ("Ошибка API", "Ошибка API", "Ошибка API"),
        ("支付服务失败", "支付服务失败", "支付服务失败"),
        ("@channel down", "<!channel> down", "@channel down"),
        ("<!channel> typed", "&lt;!channel&gt; typed", "<!channel> typed"),
        ("ask @bob", "ask <@U0BOB00001|bob>", "ask @bob"),
    ],
)
def test_any_title_is_stored_as_typed_and_rendered_inert(
    slack, django_capture_on_commit_callbacks, typed, sent, stored
):
    _, investigation = open_case(slack, django_capture_on_commit_callbacks, f"open {sent}")
    assert investigation.title == stored
    assert investigation.status == Investigation.Status.INVESTIGATING
    posted = block_text(slack.fake.messages_in(ISSUES)[-1])
    posted += block_text(slack.fake.messages_in(investigation.channel_id)[0])
    assert "<!channel>" not in posted
    assert "<@U0BOB00001" not in posted
    assert "&#39;" not in posted


def test_a_title_of_200_characters_opens_and_201_is_refused(
    slack, django_capture_on_commit_callbacks
):
    _, opened = open_case(slack, django_capture_on_commit_callbacks, "open " + "x" * 200)
    assert len(opened.title) == 200
    calls = len(slack.fake.calls)
    reply = reply_of(slack.command("open " + "y" * 201))
    assert reply["text"].startswith("⚠️ The title is 201 characters long")
    assert Investigation.objects.count() == 1
    assert len(slack.fake.calls) == calls


def test_open_without_a_title_says_how(slack):
    slack.command("help")
    reply = reply_of(slack.command("open   "))
    assert "Give the investigation a title" in reply["text"]
    assert not Investigation.objects.exists()


def test_subcommands_are_case_insensitive_and_work_from_a_dm(
    slack, django_capture_on_commit_callbacks
):
    _, investigation = open_case(
        slack, django_capture_on_commit_callbacks, "OPEN Search is slow", channel_id="D0ALICEDM1"
    )
    assert investigation.title == "Search is slow"
    assert investigation.status == Investigation.Status.INVESTIGATING


def test_the_first_open_of_an_unknown_person_is_acknowledged_then_answered(
    slack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_of(slack.command("open Cache misses"))
    assert reply == {}  # the person was looked up after the ack
    texts = [r["text"] for r in slack.fake.responses]
    assert texts[0].startswith("⏳ Opening an investigation: Cache misses")
    assert texts[1].startswith("✅ Investigation")
    assert Investigation.objects.get().status == Investigation.Status.INVESTIGATING


@pytest.mark.parametrize(
    ("sent", "prefix"),
    [("Can't login", "case-cant-login-"), ("Café résumé down", "case-cafe-resume-"),
     ("DB &amp; cache", "case-db-cache-"), ("Ошибка", "case-investigation-")],
)
def test_the_channel_is_named_from_the_title_as_typed(
    slack, django_capture_on_commit_callbacks, sent, prefix
):
    _, investigation = open_case(slack, django_capture_on_commit_callbacks, f"open {sent}")
    assert investigation.name.startswith(prefix)
    assert re.fullmatch(re.escape(prefix) + "[0-9a-f]{3}", investigation.name)
    assert slack.fake.channels[investigation.channel_id]["name"] == investigation.name
