"""The original README's Quick Demo, end to end through signed Slack requests.

open → collect evidence → incident → resolve → close, on PostgreSQL with
every outbox effect delivered after commit (eager Celery) against the fake
Slack; each step asserts the Slack calls it must make.
"""

import json

import pytest

from investigations.models import AuditEvent, Evidence, Incident, Investigation
from slack_integration.fakes.requests import message_shortcut_body, view_submission_body
from tests.slack_integration.cases import ISSUES_CHANNEL, block_text, say
from tests.slack_integration.conftest import reply_of

ALICE, BOB, CAROL = "U0ALICE001", "U0BOB00001", "U0CAROL001"
GENERAL = "C0GENERAL1"
TITLE = "API response times increasing"


class Calls:
    """The fake's calls, step by step."""

    def __init__(self, fake) -> None:
        self.fake = fake
        self.mark = 0

    def since_last(self) -> list[tuple[str, dict]]:
        with self.fake.lock:
            calls = [(c.method, c.params) for c in self.fake.calls[self.mark:]]
            self.mark = len(self.fake.calls)
        return calls


def methods(calls: list[tuple[str, dict]]) -> list[str]:
    return [method for method, _ in calls]


def posted(calls, channel: str) -> list[dict]:
    return [p for m, p in calls if m == "chat.postMessage" and p["channel"] == channel]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_quick_demo(slack, fake_slack, settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    calls = Calls(fake_slack)

    # 1. Something happens: /case open opens #case-api-respons-xxx and adds Alice.
    told = say(slack, f"open {TITLE}", channel=GENERAL)
    case = Investigation.objects.get()
    assert case.status == Investigation.Status.INVESTIGATING
    assert case.name.startswith("case-api-respons")
    step = calls.since_last()
    [create] = [p for m, p in step if m == "conversations.create"]
    assert create["name"] == case.name
    assert ("conversations.invite", {"channel": case.channel_id, "users": ALICE}) in step
    [announcement] = posted(step, ISSUES_CHANNEL)
    assert case.name in block_text(announcement)
    assert case.announcement_ts
    assert len(posted(step, case.channel_id)) == 1  # the welcome
    assert case.name in told

    # 2. Collect evidence: Bob's alert in #general, collected by Alice.
    alert = fake_slack.post_user_message(GENERAL, BOB, "p99 latency 2.4 s on api-gateway")
    body = message_shortcut_body(user_id=ALICE, channel_id=GENERAL, message_ts=alert["ts"],
                                 response_url=fake_slack.response_url("shortcut"))
    assert reply_of(slack.post(body)) == {}
    [(method, opened)] = calls.since_last()
    assert method == "views.open"
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    select = view["blocks"][1]["element"]
    assert select["initial_option"]["value"] == str(case.public_id)  # the only open case
    values = {"investigation_select": {"selected_investigation": {
        "type": "external_select", "selected_option": select["initial_option"]}}}
    answer = reply_of(slack.post(view_submission_body(user_id=ALICE, view=view, values=values)))
    assert answer["response_action"] == "update"
    step = calls.since_last()
    assert methods(step) == ["chat.getPermalink", "chat.postMessage"]
    evidence = Evidence.objects.get()
    assert (evidence.source_channel_id, evidence.message_ts) == (GENERAL, alert["ts"])
    [link] = posted(step, case.channel_id)
    assert link["text"].endswith(evidence.permalink)
    assert link["unfurl_links"] is True

    # 3. If it's serious: /case incident; Alice commands, the team is told and invited.
    say(slack, "incident", channel=case.channel_id)
    step = calls.since_last()
    assert Incident.objects.get().commander == ALICE
    [notice] = posted(step, case.channel_id)
    assert f"*Incident commander:* <@{ALICE}>" in block_text(notice)
    [thread] = posted(step, ISSUES_CHANNEL)
    assert (thread["thread_ts"], thread["reply_broadcast"]) == (case.announcement_ts, True)
    assert ("usergroups.users.list", {"usergroup": "S0RESPOND1"}) in step
    [invite] = [p for m, p in step if m == "conversations.invite"]
    assert set(invite["users"].split(",")) == {BOB, CAROL}
    [update] = [p for m, p in step if m == "chat.update"]
    assert "Incident active" in block_text(update)
    [topic] = [p for m, p in step if m == "conversations.setTopic"]
    assert topic["topic"].startswith("🚨")

    # 4. Service restored: /case resolve; the investigation stays open.
    told = say(slack, "resolve", channel=case.channel_id)
    assert "stays open" in told
    step = calls.since_last()
    [resolution] = posted(step, case.channel_id)
    assert "*Incident duration:*" in block_text(resolution)
    assert posted(step, ISSUES_CHANNEL) == []  # the announcement is updated instead
    assert "Incident resolved" in block_text(next(p for m, p in step if m == "chat.update"))
    case.refresh_from_db()
    assert case.status == Investigation.Status.ESCALATED

    # 5. After the post-mortem: /case close; a summary, then the channel archived.
    say(slack, "close", channel=case.channel_id)
    step = calls.since_last()
    order = [m for m in methods(step) if m in {"chat.postMessage", "conversations.archive"}]
    assert order == ["chat.postMessage", "conversations.archive"]
    summary = block_text(posted(step, case.channel_id)[0])
    assert "*Evidence collected:*\n1 item" in summary
    assert f"*Incident commander:*\n<@{ALICE}>" in summary
    assert fake_slack.channels[case.channel_id]["is_archived"] is True
    assert "Closed" in block_text(next(p for m, p in step if m == "chat.update"))
    assert "conversations.setTopic" not in methods(step)

    # Every action is tracked with who did what and when.
    actions = list(AuditEvent.objects.filter(investigation=case).values_list("action", "actor"))
    assert ("opened", ALICE) in actions
    assert ("evidence_added", ALICE) in actions
    assert ("escalated", ALICE) in actions
    assert ("resolved", ALICE) in actions
    assert ("closed", ALICE) in actions

    # Every message Case posted, updated or answered has a plain `text` fallback
    # (what notifications and screen readers show), not blocks alone.
    with fake_slack.lock:
        sent = [c.params for c in fake_slack.calls
                if c.method in {"chat.postMessage", "chat.update"}]
        answered = list(fake_slack.responses)
    assert len(sent) >= 8
    assert answered
    assert all(message.get("text") for message in sent + answered)
