"""The response group is invited on escalation: only missing members, in
batches, with force, so one bad user never blocks the rest."""

import logging

import pytest

from investigations import services
from investigations.models import OutboxMessage
from investigations.outbox import outbox_deliver
from slack_integration.handlers.invites import INVITE_BATCH
from tests.slack_integration.cases import case_opened_in_slack, pending

pytestmark = pytest.mark.django_db


def escalate(case, actor: str = "U0BOB00001") -> OutboxMessage:
    """Escalate and post the notice, which the invite waits for (same channel)."""
    services.investigation_escalate(investigation_id=case.pk, actor=actor)
    [notice] = pending("slack.escalation_notice")
    outbox_deliver(notice.pk)
    [row] = pending("slack.invite_response_group")
    return row


def test_invites_the_group_members_missing_from_the_channel_and_not_the_escalator(fake_slack):
    # bob escalates: he is in the group and already in the channel.
    case = case_opened_in_slack(fake_slack, members=("U0BOB00001",))
    row = escalate(case)
    assert outbox_deliver(row.pk).status == "delivered"
    assert fake_slack.calls_to("usergroups.users.list") == [{"usergroup": "S0RESPOND1"}]
    [invite] = fake_slack.calls_to("conversations.invite")
    assert invite == {"channel": case.channel_id, "users": "U0CAROL001", "force": "1"}
    assert {"U0BOB00001", "U0CAROL001"} <= fake_slack.channels[case.channel_id]["members"]


def test_a_group_already_in_the_channel_gets_no_invite(fake_slack):
    case = case_opened_in_slack(fake_slack, members=("U0BOB00001", "U0CAROL001"))
    assert outbox_deliver(escalate(case).pk).status == "delivered"
    assert fake_slack.calls_to("conversations.invite") == []


def test_one_deactivated_member_does_not_block_the_rest(fake_slack, caplog):
    fake_slack.add_user("U0GONE0001", name="gone", deleted=True)
    fake_slack.add_usergroup("S0RESPOND1", ["U0GONE0001", "U0BOB00001", "U0CAROL001"])
    case = case_opened_in_slack(fake_slack)
    with caplog.at_level(logging.WARNING, logger="slack_integration.handlers.invites"):
        assert outbox_deliver(escalate(case).pk).status == "delivered"
    members = fake_slack.channels[case.channel_id]["members"]
    assert {"U0BOB00001", "U0CAROL001"} <= members
    assert "U0GONE0001" not in members
    assert "user=U0GONE0001 error=user_not_found" in caplog.text


def test_a_group_of_only_refused_users_is_delivered_with_the_refusal_logged(fake_slack, caplog):
    # Slack answers ok=false (not a per-user list) when nobody could be added.
    fake_slack.add_usergroup("S0RESPOND1", ["U0GONE0001"])
    case = case_opened_in_slack(fake_slack)
    fake_slack.fail("conversations.invite", "user_not_found")
    with caplog.at_level(logging.WARNING, logger="slack_integration.handlers.invites"):
        assert outbox_deliver(escalate(case).pk).status == "delivered"
    assert "error=user_not_found" in caplog.text


def test_a_large_group_is_invited_in_batches_of_at_most_1000(fake_slack):
    people = [f"U{n:09d}" for n in range(2 * INVITE_BATCH + 500)]
    for person in people:
        fake_slack.add_user(person)
    fake_slack.add_usergroup("S0RESPOND1", people)
    case = case_opened_in_slack(fake_slack)
    assert outbox_deliver(escalate(case, actor="U0ALICE001").pk).status == "delivered"
    batches = [call["users"].split(",") for call in fake_slack.calls_to("conversations.invite")]
    assert [len(batch) for batch in batches] == [1000, 1000, 500]
    assert set(people) <= fake_slack.channels[case.channel_id]["members"]


def test_a_rate_limited_invite_is_retried_after_retry_after_for_who_is_still_missing(
    fake_slack,
):
    case = case_opened_in_slack(fake_slack)
    row = escalate(case, actor="U0ALICE001")
    fake_slack.fail("conversations.invite", "ratelimited", status=429, retry_after=5)
    outcome = outbox_deliver(row.pk)
    assert (outcome.status, outcome.retry_in) == ("retry", 5.0)
    fake_slack.channels[case.channel_id]["members"].add("U0CAROL001")  # joined meanwhile
    fake_slack.calls.clear()
    assert outbox_deliver(row.pk).status == "delivered"
    [retry] = fake_slack.calls_to("conversations.invite")
    assert retry["users"] == "U0BOB00001"


def test_no_group_configured_is_a_no_op(fake_slack, settings):
    settings.INCIDENT_RESPONSE_GROUP_ID = ""
    case = case_opened_in_slack(fake_slack)
    assert outbox_deliver(escalate(case).pk).status == "delivered"
    assert fake_slack.calls_to("usergroups.users.list") == []
    assert fake_slack.calls_to("conversations.invite") == []


def test_an_unknown_group_fails_with_slacks_reason(fake_slack, settings):
    settings.INCIDENT_RESPONSE_GROUP_ID = "S0NOSUCH01"
    case = case_opened_in_slack(fake_slack)
    row = escalate(case)
    assert outbox_deliver(row.pk).status == "failed"
    row.refresh_from_db()
    assert row.last_error == "usergroups.users.list: no_such_subteam"
