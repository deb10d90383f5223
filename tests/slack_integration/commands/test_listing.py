"""`/case list` and bare `/case`: every open investigation, within Slack's limits."""

import json

import pytest

from slack_integration.blocks.base import MAX_BLOCKS, SECTION_LIMIT
from tests import factories
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db


def listed(slack, text: str = "list", **kwargs) -> dict:
    slack.command("help", **kwargs)
    return reply_of(slack.command(text, **kwargs))


def test_nothing_open_says_how_to_open_one(slack):
    factories.investigation_closed()
    reply = listed(slack)
    assert "No open investigations" in reply["text"]
    # `<title>` escaped: raw, Slack would read it as a link and show "title".
    assert "`/case open &lt;title&gt;`" in reply["text"]
    assert "<title>" not in text_of(reply)


def test_each_open_investigation_gets_its_own_section_newest_first(slack):
    older = factories.investigation_opened(title="Search slow")
    newer = factories.investigation_escalated(title="Checkout down")
    factories.investigation_closed(title="Old news")
    reply = listed(slack)
    sections = [b for b in reply["blocks"] if b["type"] == "section"]
    assert len(sections) == 2
    assert f"<#{newer.channel_id}>" in sections[0]["text"]["text"]
    assert "🚨 Incident active" in sections[0]["text"]["text"]
    assert f"<#{older.channel_id}>" in sections[1]["text"]["text"]
    assert "Old news" not in text_of(reply)
    assert reply["blocks"][0]["text"]["text"] == "📋 2 open investigations"


def test_resolved_but_open_investigations_are_shown_as_awaiting_close(slack):
    factories.investigation_resolved(title="Queue backlog")
    reply = listed(slack)
    assert "✅ Incident resolved, awaiting close" in text_of(reply)


def test_bare_case_lists_and_works_in_a_dm_and_a_private_group(slack):
    factories.investigation_opened(title="Disk full")
    for channel_id in ("D0ALICEDM1", "G0PRIVATE1"):
        reply = listed(slack, "", channel_id=channel_id)
        assert "Disk full" in text_of(reply)


def test_many_long_investigations_stay_within_slacks_limits(slack, django_assert_max_num_queries):
    for i in range(60):
        factories.investigation_opened(title=f"{i:02d}" + "&<>" * 66)
    slack.command("help")
    with django_assert_max_num_queries(8):
        reply = reply_of(slack.command("list"))
    blocks = reply["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks if b["type"] == "section")
    assert blocks[0]["text"]["text"] == "📋 60 open investigations"
    assert blocks[-1]["elements"][0]["text"].startswith("…and 12 more")
    shown = [b for b in blocks if b["type"] == "section"]
    assert len(shown) == 48
    assert "&amp;&lt;&gt;" in shown[0]["text"]["text"]  # escaped, never raw
    assert len(json.dumps(reply)) < 100_000
