"""mrkdwn drawn as Slack draws it, and never as raw HTML."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from slack_integration.sandbox.mrkdwn import Directory, date_token, mrkdwn_to_html

NOW = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
DIRECTORY = Directory(
    users={"U0ALICE001": "Alice Archer"},
    channels={"C0ISSUES01": "issues", "C0ABC": "case-api-respons-a3f"},
    groups={"S0RESPOND1": "responders"},
    team_domain="case-test",
    now=NOW,
)


def render(text: str, directory: Directory = DIRECTORY) -> str:
    return mrkdwn_to_html(text, directory)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("*bold*", "<strong>bold</strong>"),
        ("_italics_", "<em>italics</em>"),
        ("~gone~", "<del>gone</del>"),
        ("a *b* and _c_", "a <strong>b</strong> and <em>c</em>"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("2*3*4 stays", "2*3*4 stays"),
        ("* not bold *", "* not bold *"),
        ("line\nbreak", "line<br>break"),
        ("`*code*`", "<code>*code*</code>"),
        ("```a *b*\n<c>```", "<pre>a *b*<br>&lt;c&gt;</pre>".replace("<br>", "\n")),
    ],
)
def test_formatting(text, html):
    assert render(text) == html


def test_user_text_is_escaped_and_slack_entities_undone():
    assert render("Can&#39;t &lt;script&gt; &amp; done") == "Can&amp;#39;t &lt;script&gt; &amp; done"
    # An app's unescaped <b> is a control sequence to Slack, never markup.
    assert render("<b>bold?</b>") == "bbold?/b"
    assert render("x &amp;lt; y") == "x &amp;lt; y"


def test_mentions_use_names():
    assert render("<@U0ALICE001> took it") == '<span class="mention">@Alice Archer</span> took it'
    assert render("<@U0NOBODY1|bob>") == '<span class="mention">@bob</span>'
    assert render("<!here> <!channel>") == (
        '<span class="mention">@here</span> <span class="mention">@channel</span>'
    )
    assert render("<!subteam^S0RESPOND1>") == '<span class="mention">@responders</span>'


def test_channel_mentions_link_inside_the_sandbox():
    assert render("see <#C0ISSUES01>") == (
        'see <a class="channel-link" href="#C0ISSUES01" data-channel="C0ISSUES01">#issues</a>'
    )
    assert 'data-channel="C0UNKNOWN"' in render("<#C0UNKNOWN|old-name>")
    assert "#old-name" in render("<#C0UNKNOWN|old-name>")


def test_links_keep_safe_schemes_only():
    assert render("<https://example.com/a?b=1&amp;c=2|the docs>") == (
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">'
        "the docs</a>"
    )
    assert render("<javascript:alert(1)|click>") == "click"
    assert '"onmouseover' not in render('<https://x.test/"onmouseover="1|x>')


def test_permalinks_and_channel_urls_open_the_channel_in_the_sandbox():
    permalink = render("<https://case-test.slack.com/archives/C0ABC/p1700000000000100>")
    assert 'data-channel="C0ABC"' in permalink
    assert "message in #case-api-respons-a3f" in permalink
    assert 'href="#C0ABC"' in permalink
    assert 'data-channel="C0ABC"' in render("<https://case-test.slack.com/archives/C0ABC|open>")


def test_bare_urls_are_linked_as_slack_does():
    assert render("see https://example.com/a_b?x=1&amp;y=2.") == (
        'see <a href="https://example.com/a_b?x=1&amp;y=2" target="_blank" '
        'rel="noopener noreferrer">https://example.com/a_b?x=1&amp;y=2</a>.'
    )
    bare_permalink = render("📎 https://case-test.slack.com/archives/C0ABC/p1700000000000100")
    assert 'class="channel-link permalink "' in bare_permalink
    assert 'data-channel="C0ABC"' in bare_permalink
    assert render("`https://example.com`") == "<code>https://example.com</code>"


def test_formatting_wraps_mentions():
    assert render("*<@U0ALICE001>*") == (
        '<strong><span class="mention">@Alice Archer</span></strong>'
    )


def test_dates_render_in_the_readers_time_zone():
    stamp = int(datetime(2026, 3, 14, 13, 5, tzinfo=UTC).timestamp())
    html = render(f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|2026-03-14 13:05 UTC>")
    assert ">today at 1:05 PM</time>" in html
    assert 'title="2026-03-14 13:05 UTC"' in html
    berlin = Directory(now=NOW, tz=ZoneInfo("Europe/Berlin"))
    assert ">today at 2:05 PM</time>" in render(f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|x>", berlin)


def test_a_bad_date_shows_its_fallback():
    assert render("<!date^soon^{date}|next week>") == "next week"


@pytest.mark.parametrize(
    ("token", "text"),
    [
        ("date_num", "2026-03-01"),
        ("date", "March 1st, 2026"),
        ("date_short", "Mar 1, 2026"),
        ("date_long", "Sunday, March 1st, 2026"),
        ("date_pretty", "March 1st, 2026"),
        ("time", "9:07 AM"),
        ("time_secs", "9:07:05 AM"),
        ("ago", "13 days ago"),
        ("unknown", "{unknown}"),
    ],
)
def test_date_tokens(token, text):
    moment = datetime(2026, 3, 1, 9, 7, 5, tzinfo=UTC)
    assert date_token(token, moment, NOW, "{unknown}") == text


def test_day_suffixes():
    assert [date_token("date", datetime(2026, 1, d, tzinfo=UTC), NOW, "")[:-6]
            for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        "January 1st", "January 2nd", "January 3rd", "January 4th", "January 11th",
        "January 12th", "January 13th", "January 21st", "January 22nd", "January 23rd",
    ]


def test_known_emoji_shortcodes_become_emoji():
    assert render(":rotating_light: :not_an_emoji:") == "🚨 :not_an_emoji:"
