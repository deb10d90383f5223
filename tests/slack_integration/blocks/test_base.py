"""The shared Block Kit pieces: escaping, clamping, dates, durations, limits."""

from datetime import UTC, datetime, timedelta

from slack_integration.blocks.base import (
    HEADER_LIMIT,
    MAX_BLOCKS,
    SECTION_LIMIT,
    clamp,
    code,
    date,
    duration,
    escape,
    header,
    message,
    section,
)


def test_escape_makes_mentions_and_links_inert_and_leaves_quotes_alone():
    assert escape("<!channel> down & <@U1> <https://x>") == (
        "&lt;!channel&gt; down &amp; &lt;@U1&gt; &lt;https://x&gt;"
    )
    assert escape("Can't \"login\"") == "Can't \"login\""


def test_clamp_never_cuts_an_entity_or_a_token_in_half():
    text = "a" * 2990 + "&amp;&amp;&amp;"
    clamped = clamp(text, SECTION_LIMIT)
    assert len(clamped) <= SECTION_LIMIT
    assert clamped.endswith("…")
    assert not clamped[:-1].endswith(("&", "&a", "&am", "&amp"))
    token = clamp("x" * 2990 + "<@U0ALICE001>", SECTION_LIMIT)
    assert "<@" not in token
    assert clamp("short", 10) == "short"


def test_sections_and_headers_respect_slacks_limits():
    assert len(section("y" * 5000)["text"]["text"]) == SECTION_LIMIT
    assert len(header("z" * 500)["text"]["text"]) == HEADER_LIMIT
    assert len(message("t", *[section("s")] * 80)["blocks"]) == MAX_BLOCKS


def test_dates_are_slack_date_tokens_with_a_utc_fallback():
    when = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    assert date(when) == (
        f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|2026-03-04 05:06 UTC>"
    )


def test_durations_use_the_one_formatter():
    assert duration(timedelta(days=3)) == "3d"
    assert duration(timedelta(hours=1, minutes=59, seconds=40)) == "2h"


def test_code_spans_cannot_be_broken_out_of():
    assert code("a`b<c>") == "`ab&lt;c&gt;`"
