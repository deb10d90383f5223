"""Collect Evidence end to end: shortcut → picker → search → submission → post."""

import json
import time

import pytest
from django.core.cache import cache

from investigations import services
from investigations.models import Evidence
from slack_integration import workspace
from slack_integration.fakes.requests import (
    block_suggestion_body,
    message_shortcut_body,
    view_submission_body,
)
from slack_integration.listeners.evidence import NO_PERMALINK
from slack_integration.ratelimit import LIMIT
from tests.slack_integration.cases import case_opened_in_slack, deliver_pending, posts_in
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db

ALICE = "U0ALICE001"
GENERAL = "C0GENERAL1"  # the bot is not a member of #general
TS = "1700000000.000100"


def shortcut(slack, *, user: str = ALICE, channel: str = GENERAL, ts: str = TS) -> dict:
    """Click Collect Evidence on a message; return the ack and what followed."""
    before = len(slack.fake.responses)
    body = message_shortcut_body(user_id=user, channel_id=channel, message_ts=ts,
                                 response_url=slack.fake.response_url("shortcut"))
    ack = reply_of(slack.post(body))
    return {"ack": ack, "said": [text_of(r) for r in slack.fake.responses[before:]]}


def opened_view(fake_slack) -> dict:
    [*_, call] = fake_slack.calls_to("views.open")
    view = call["view"]
    return json.loads(view) if isinstance(view, str) else view


def select_of(view: dict) -> dict:
    [block] = [b for b in view["blocks"] if b.get("block_id") == "investigation_select"]
    return block["element"]


def submit(slack, view: dict, value: str | None, *, user: str = ALICE) -> dict:
    selected: dict = {"type": "external_select", "selected_option": None}
    if value is not None:
        selected["selected_option"] = {"text": {"type": "plain_text", "text": "x"}, "value": value}
    values = {"investigation_select": {"selected_investigation": selected}}
    return reply_of(slack.post(view_submission_body(user_id=user, view=view, values=values)))


def suggest(slack, query: str, *, user: str = ALICE) -> dict:
    body = block_suggestion_body(user_id=user, action_id="selected_investigation",
                                 block_id="investigation_select", value=query)
    return reply_of(slack.post(body))


def test_with_none_open_the_shortcut_says_so_on_its_response_url(slack, fake_slack):
    outcome = shortcut(slack)
    assert outcome["ack"] == {}
    assert any("no open investigation" in said for said in outcome["said"])
    assert any("`/case open &lt;title&gt;`" in said for said in outcome["said"])
    assert fake_slack.calls_to("views.open") == []
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_with_one_open_the_picker_opens_with_it_preselected(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack)
    view = opened_view(fake_slack)
    assert view["callback_id"] == "select_investigation_for_event"
    select = select_of(view)
    assert select["type"] == "external_select"
    assert select["action_id"] == "selected_investigation"
    assert select["initial_option"]["value"] == str(case.public_id)
    assert json.loads(view["private_metadata"]) == {"channel_id": GENERAL, "message_ts": TS}
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_with_several_open_the_picker_searches_them_all(slack, fake_slack):
    api = case_opened_in_slack(fake_slack, title="API response times increasing")
    checkout = case_opened_in_slack(fake_slack, title="Checkout errors in EU")
    shortcut(slack)
    assert "initial_option" not in select_of(opened_view(fake_slack))

    everything = suggest(slack, "")
    assert [o["value"] for o in everything["options"]] == [
        str(checkout.public_id), str(api.public_id)  # newest first
    ]
    by_title = suggest(slack, "checkout")
    assert [o["value"] for o in by_title["options"]] == [str(checkout.public_id)]
    by_name = suggest(slack, api.name[:12].upper())
    assert [o["value"] for o in by_name["options"]] == [str(api.public_id)]
    assert suggest(slack, "nothing like it") == {"options": []}


def test_the_search_shows_the_newest_hundred_and_says_how_many_match(slack, fake_slack):
    for n in range(105):
        services.investigation_activate(investigation_id=services.investigation_set_channel(
            investigation_id=services.investigation_open(
                title=f"Disk full {n}", opened_by=ALICE).pk,
            channel_id=f"C9{n:08d}").pk)
    answer = suggest(slack, "disk")
    [group] = answer["option_groups"]
    assert len(group["options"]) == 100
    assert group["label"]["text"] == "Newest 100 of 105: type to narrow"
    assert all(len(o["text"]["text"]) <= 75 for o in group["options"])


def test_submitting_links_the_message_confirms_in_the_modal_and_posts_the_link(
    slack, fake_slack
):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack, user="U0BOB00001")
    started = time.perf_counter()
    answer = submit(slack, opened_view(fake_slack), str(case.public_id), user="U0BOB00001")
    took = time.perf_counter() - started

    assert answer["response_action"] == "update"
    assert f"Added to *{case.name}*" in json.dumps(answer["view"])
    evidence = Evidence.objects.get(investigation=case)
    assert (evidence.source_channel_id, evidence.message_ts) == (GENERAL, TS)
    assert evidence.added_by == "U0BOB00001"
    assert fake_slack.calls_to("chat.getPermalink") == [{"channel": GENERAL, "message_ts": TS}]
    assert evidence.permalink == f"https://case-test.slack.com/archives/{GENERAL}/p1700000000000100"
    assert took < 1.0  # well inside Slack's 3 s for a view submission

    deliver_pending()
    [post] = posts_in(fake_slack, case.channel_id)
    assert post["text"] == f"📎 Evidence added by <@U0BOB00001>: {evidence.permalink}"
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_the_same_message_twice_is_already_collected(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack)
    view = opened_view(fake_slack)
    assert submit(slack, view, str(case.public_id))["response_action"] == "update"
    shortcut(slack)
    again = submit(slack, opened_view(fake_slack), str(case.public_id))
    assert again["response_action"] == "errors"
    assert "already collected" in again["errors"]["investigation_select"]
    assert Evidence.objects.count() == 1


def test_a_case_closed_meanwhile_gets_a_field_error_in_the_modal(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack)
    services.investigation_close(investigation_id=case.pk, actor="U0BOB00001")
    answer = submit(slack, opened_view(fake_slack), str(case.public_id))
    assert answer == {
        "response_action": "errors",
        "errors": {"investigation_select": (
            "This investigation is closed; evidence can no longer be added."
        )},
    }
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "Choose the investigation"), ("not-a-uuid", "no longer exists"),
     ("7d7c1f8e-0000-4000-8000-000000000000", "no longer exists")],
)
def test_no_or_an_unknown_choice_is_a_field_error(slack, fake_slack, value, message):
    case_opened_in_slack(fake_slack)
    shortcut(slack)
    answer = submit(slack, opened_view(fake_slack), value)
    assert answer["response_action"] == "errors"
    assert message in answer["errors"]["investigation_select"]


def test_from_a_dm_the_bot_is_not_in_the_link_falls_back_to_the_workspace_url(
    slack, fake_slack
):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack, channel="D0SOMEDM01", ts="1700000000.000200")
    fake_slack.fail("chat.getPermalink", "channel_not_found")
    answer = submit(slack, opened_view(fake_slack), str(case.public_id))
    assert answer["response_action"] == "update"
    evidence = Evidence.objects.get()
    assert evidence.source_channel_id == "D0SOMEDM01"
    assert evidence.permalink == "https://case-test.slack.com/archives/D0SOMEDM01/p1700000000000200"
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_a_slow_permalink_is_given_up_on_in_time_for_the_ack(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack)
    view = opened_view(fake_slack)
    fake_slack.latency = 2.5  # beyond the 2 s chat.getPermalink is given
    started = time.perf_counter()
    answer = submit(slack, view, str(case.public_id))
    took = time.perf_counter() - started
    fake_slack.latency = 0.0
    assert answer["response_action"] == "update"
    assert took < 2.9
    assert Evidence.objects.get().permalink.endswith(f"/archives/{GENERAL}/p1700000000000100")


def test_without_a_cached_workspace_url_a_slow_permalink_is_refused_not_looked_up(
    slack, fake_slack
):
    case = case_opened_in_slack(fake_slack)
    shortcut(slack)
    view = opened_view(fake_slack)
    cache.delete(workspace._cache_key())  # expired: only auth.test could say the URL now
    fake_slack.latency_by_method["chat.getPermalink"] = 2.5
    auth_tests = len(fake_slack.calls_to("auth.test"))
    started = time.perf_counter()
    answer = submit(slack, view, str(case.public_id))
    took = time.perf_counter() - started
    assert answer == {"response_action": "errors",
                      "errors": {"investigation_select": NO_PERMALINK}}
    assert len(fake_slack.calls_to("auth.test")) == auth_tests  # no Slack call but the one
    assert took < 2.9
    assert not Evidence.objects.exists()


def test_guests_cannot_collect_evidence(slack, fake_slack):
    case = case_opened_in_slack(fake_slack)
    outcome = shortcut(slack, user="U0GUEST001")
    assert fake_slack.calls_to("views.open") == []
    assert any("not available to guest accounts" in said for said in outcome["said"])
    view = {"type": "modal", "callback_id": "select_investigation_for_event",
            "private_metadata": json.dumps({"channel_id": GENERAL, "message_ts": TS})}
    answer = submit(slack, view, str(case.public_id), user="U0STRANGE1")
    assert answer["response_action"] == "update"
    assert "Slack Connect" in json.dumps(answer["view"], ensure_ascii=False)
    assert not Evidence.objects.exists()


def test_the_rate_limit_covers_the_shortcut(slack, fake_slack):
    case_opened_in_slack(fake_slack)
    for _ in range(LIMIT):
        shortcut(slack)
    opened = len(fake_slack.calls_to("views.open"))
    blocked = shortcut(slack)
    assert any("Rate limit exceeded" in said for said in blocked["said"])
    assert len(fake_slack.calls_to("views.open")) == opened
