"""`/case transfer`: mention formats, who may command, and in which state."""

import pytest

from investigations.models import AuditEvent, Incident
from slack_integration.commands.registry import CommandRefused
from slack_integration.commands.transfer import commander_from_args
from tests.slack_integration.cases import (
    block_text,
    case_opened_in_slack,
    deliver_pending,
    posts_in,
    say,
)

pytestmark = pytest.mark.django_db

ALICE, BOB, CAROL = "U0ALICE001", "U0BOB00001", "U0CAROL001"


@pytest.fixture
def incident_case(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    say(slack, "incident", channel=case.channel_id)
    return case


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0BOB00001>", BOB),
        ("<@U0BOB00001|bob>", BOB),
        ("  <@W0DAVE0001|dave>  ", "W0DAVE0001"),
        ("W0DAVE0001", "W0DAVE0001"),
        ("U0CAROL001", CAROL),
    ],
)
def test_mentions_as_slack_sends_them_and_bare_ids_are_understood(text, expected):
    assert commander_from_args(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Name the new incident commander"),
        ("@bob", "Slack did not recognise `@bob` as a person"),
        ("<@U0BOB00001> <@U0CAROL001>", "Name exactly one person"),
        ("<!subteam^S0RESPOND1|@responders>", "That is a user group"),
        ("<#C0GENERAL1|general>", "That is a channel"),
        ("bob", "`bob` is not a mention of a person"),
        ("<@U0BOB00001> please", "is not a mention of a person"),
    ],
)
def test_anything_but_one_person_is_refused_with_what_is_wrong(slack, incident_case, text, message):
    told = say(slack, f"transfer {text}", channel=incident_case.channel_id)
    assert message in told
    assert Incident.objects.get(investigation=incident_case).commander == ALICE


def test_transfer_hands_over_invites_and_keeps_the_history(slack, fake_slack, incident_case):
    told = say(slack, "transfer <@U0CAROL001|carol>", channel=incident_case.channel_id)
    assert "<@U0CAROL001> is now the incident commander" in told
    assert Incident.objects.get(investigation=incident_case).commander == CAROL
    event = AuditEvent.objects.get(investigation=incident_case, action="transferred")
    assert event.details == {"old_commander": ALICE, "new_commander": CAROL}
    assert event.actor == ALICE

    fake_slack.calls.clear()
    deliver_pending()
    assert CAROL in fake_slack.channels[incident_case.channel_id]["members"]
    notices = [block_text(p) for p in posts_in(fake_slack, incident_case.channel_id)]
    assert any(f"*From:* <@{ALICE}>\n*To:* <@{CAROL}>\n*By:* <@{ALICE}>" in n for n in notices)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("U0HELPER01", "is a bot"),
        ("U0CASEBOT1", "is a bot"),
        ("U0GUEST001", "is a guest account"),
        ("U0SINGLE01", "is a guest account"),
        ("U0STRANGE1", "is from another organisation"),
        ("U0NOBODY01", "Case cannot find <@U0NOBODY01>"),
    ],
)
def test_bots_guests_outsiders_and_unknown_people_cannot_command(
    slack, incident_case, target, message
):
    told = say(slack, f"transfer <@{target}>", channel=incident_case.channel_id)
    assert message in told
    assert Incident.objects.get(investigation=incident_case).commander == ALICE


def test_a_deactivated_person_cannot_command(slack, fake_slack, incident_case):
    fake_slack.add_user("U0GONE0001", name="gone", deleted=True)
    told = say(slack, "transfer <@U0GONE0001|gone>", channel=incident_case.channel_id)
    assert "<@U0GONE0001> is deactivated" in told


def test_transfer_to_the_current_commander_is_refused(slack, fake_slack, incident_case):
    fake_slack.calls.clear()
    told = say(slack, f"transfer <@{ALICE}|alice>", channel=incident_case.channel_id)
    assert f"<@{ALICE}> is already the incident commander" in told
    assert not AuditEvent.objects.filter(action="transferred").exists()
    assert fake_slack.calls_to("users.info") == []


def test_a_slack_outage_during_the_check_is_explained(slack, fake_slack, incident_case):
    fake_slack.fail("users.info", "internal_error", status=500, times=3)
    told = say(slack, f"transfer <@{BOB}>", channel=incident_case.channel_id)
    assert "could not check that person with Slack" in told


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ((), "no incident yet"),
        (("incident", "resolve"), "already resolved"),
        (("incident", "resolve", "close"), "closed"),
    ],
)
def test_transfer_only_while_the_incident_is_active(slack, fake_slack, setup, message):
    case = case_opened_in_slack(fake_slack)
    for step in setup:
        say(slack, step, channel=case.channel_id)
    fake_slack.calls.clear()
    told = say(slack, f"transfer <@{BOB}>", channel=case.channel_id)
    assert message in told
    assert {"user": BOB} not in fake_slack.calls_to("users.info")  # refused before asking


def test_the_mention_is_parsed_before_slack_is_asked():
    with pytest.raises(CommandRefused):
        commander_from_args("<@lowercase>")


@pytest.mark.parametrize(
    ("text", "new_commander"),
    [("<@U0CAROL001>", CAROL), ("U0CAROL001", CAROL), ("<@W0DAVE0001|dave>", "W0DAVE0001")],
)
def test_every_accepted_form_hands_over_through_slack(slack, incident_case, text, new_commander):
    told = say(slack, f"transfer {text}", channel=incident_case.channel_id)
    assert f"<@{new_commander}> is now the incident commander" in told
    assert Incident.objects.get(investigation=incident_case).commander == new_commander
