"""`/case export`: allow-list, a worker builds the CSV, the file lands in a DM."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from investigations.models import OutboxMessage
from reporting.csv_export import HEADER
from reporting.exports import EXPORT_TO_SLACK
from slack_integration.commands.export import NOT_AUTHORISED, ON_ITS_WAY
from tests.reporting.history import case
from tests.slack_integration.cases import deliver_pending
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db

ALICE, BOB = "U0ALICE001", "U0BOB00001"


def ask(slack, text: str = "export", user: str = ALICE) -> list[str]:
    """Everything the person is told, in order: the ack (or its response_url
    stand-in), then what follows once the outbox has delivered."""
    before = len(slack.fake.responses)
    ack = reply_of(slack.command(text, user_id=user))
    deliver_pending()
    bodies = [ack, *slack.fake.responses[before:]]
    return [text_of(body) for body in bodies if body]


def uploaded(fake) -> list[dict]:
    """The files Slack holds, with their content parsed as CSV."""
    return [
        {**stored, "rows": list(csv.DictReader(io.StringIO(stored["content"].decode("utf-8"),
                                                           newline="")))}
        for stored in fake.files.values()
    ]


def history(count: int = 3) -> list:
    now = datetime.now(tz=UTC)
    return [case(opened=timedelta(days=10 * i + 1), title=f"case {i}", now=now)
            for i in range(count)]


def test_export_opens_the_dm_then_uploads_there_and_says_how_many(slack, settings):
    settings.EXPORT_AUTHORIZED_USERS = []  # unset: everyone may export
    history(3)
    ack, told = ask(slack)
    assert ack == ON_ITS_WAY
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened["users"] == ALICE
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete["channel_id"].startswith("D")  # a DM, never the U… id
    assert slack.fake.channels[complete["channel_id"]]["is_im"]
    assert complete["initial_comment"] == "📊 Case export: 3 investigation(s), all time."
    [stored] = uploaded(slack.fake)
    assert stored["name"].startswith("case-export-")
    assert stored["name"].endswith(".csv")
    assert [row["Title"] for row in stored["rows"]] == ["case 0", "case 1", "case 2"]
    assert stored["content"].decode().startswith(",".join(HEADER) + "\r\n")
    assert told == f"✅ Export sent to your DMs: 3 investigation(s) in {stored['name']}."
    assert OutboxMessage.objects.get(kind=EXPORT_TO_SLACK).status == "delivered"


def test_export_is_built_by_the_worker_not_in_the_request(slack):
    history(1)
    reply_of(slack.command("export", user_id=ALICE))
    assert slack.fake.calls_to("files.getUploadURLExternal") == []
    assert OutboxMessage.objects.get(kind=EXPORT_TO_SLACK).payload["user_id"] == ALICE


def test_an_allow_listed_person_may_export(slack, settings):
    settings.EXPORT_AUTHORIZED_USERS = [BOB, ALICE]
    history(1)
    ack, told = ask(slack)
    assert ack == ON_ITS_WAY
    assert told.startswith("✅ Export sent to your DMs: 1 investigation(s)")


def test_someone_not_on_the_allow_list_is_refused(slack, settings):
    settings.EXPORT_AUTHORIZED_USERS = [BOB]
    history(1)
    [refusal] = ask(slack)
    assert NOT_AUTHORISED in refusal
    assert not OutboxMessage.objects.filter(kind=EXPORT_TO_SLACK).exists()
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_export_of_a_range(slack):
    history(3)  # opened 1, 11 and 21 days ago
    _, told = ask(slack, "export 15d")
    [stored] = uploaded(slack.fake)
    assert [row["Title"] for row in stored["rows"]] == ["case 0", "case 1"]
    assert "2 investigation(s)" in told
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete["initial_comment"].endswith("opened in the last 15 days.")


def test_an_empty_history_uploads_nothing(slack):
    _, told = ask(slack)
    assert told == "There are no investigations to export yet."
    assert slack.fake.calls_to("conversations.open") == []
    assert slack.fake.files == {}


def test_a_bad_range_is_refused_in_the_ack(slack):
    [refusal] = ask(slack, "export lots")
    assert "“lots” is not a range I understand" in refusal


def test_a_refused_upload_is_reported_to_the_requester(slack):
    history(1)
    slack.fake.fail("files.completeUploadExternal", "not_in_channel")
    _, told = ask(slack)
    assert told.startswith("⚠️ The export could not be sent (files_upload_v2: not_in_channel)")
    assert OutboxMessage.objects.get(kind=EXPORT_TO_SLACK).status == "failed"


def test_a_transient_failure_is_retried(slack):
    history(2)
    slack.fake.fail("files.completeUploadExternal", "internal_error")
    _, told = ask(slack)
    assert told.startswith("✅ Export sent to your DMs: 2 investigation(s)")
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 2
