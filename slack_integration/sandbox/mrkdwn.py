"""Slack's mrkdwn to safe HTML, for the sandbox's message view.

Input is text as an app sends it to Slack: `&`, `<` and `>` escaped as
entities, control sequences in angle brackets (`<@U…>`, `<#C…>`, `<!date^…>`,
`<url|label>`), and `*bold*`, `_italics_`, `~strike~`, `` `code` `` and
```` ```blocks``` ````. Everything the user wrote is HTML-escaped; only the
markup produced here is HTML.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit

_CONTROL = re.compile(r"<([^<>\n]+)>")
_PRE = re.compile(r"```(.+?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
# A marker opens after start/space/punctuation and closes before end/space/
# punctuation, as Slack's parser does: snake_case_words stay plain.
_STYLES = [
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), "strong"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])"), "em"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])"), "del"),
]
# Slack links bare URLs too (an app's bare permalink unfurls); trailing
# punctuation stays text.
_BARE_URL = re.compile(r"https?://[^\s<>\x00]+?(?=[.,;:!?)\]]*(?:\s|$|\x00))")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_SLOT = re.compile("\x00(\\d+)\x00")
_ARCHIVE = re.compile(r"^/archives/([CDG][A-Z0-9]+)(?:/p(\d+))?/?$")

# The few shortcodes apps commonly send; others stay as typed, as in Slack
# when an emoji is unknown.
EMOJI = {
    "rotating_light": "🚨", "white_check_mark": "✅", "heavy_check_mark": "✔️",
    "mag": "🔍", "warning": "⚠️", "fire": "🔥", "x": "❌", "lock": "🔒",
    "paperclip": "📎", "pushpin": "📌", "clipboard": "📋", "file_folder": "📁",
    "information_source": "ℹ️", "red_circle": "🔴", "large_green_circle": "🟢",
    "pager": "📟", "busts_in_silhouette": "👥", "bust_in_silhouette": "👤",
    "stopwatch": "⏱️", "hourglass_flowing_sand": "⏳", "tada": "🎉", "eyes": "👀",
    "wave": "👋", "thumbsup": "👍", "+1": "👍", "link": "🔗", "memo": "📝",
    "chart_with_upwards_trend": "📈", "construction": "🚧", "no_entry": "⛔",
}


@dataclass(frozen=True)
class Directory:
    """What a Slack client knows when it draws a message for one person."""

    users: dict[str, str] = field(default_factory=dict)  # id -> display name
    channels: dict[str, str] = field(default_factory=dict)  # id -> name
    groups: dict[str, str] = field(default_factory=dict)  # id -> handle
    team_domain: str = ""
    tz: tzinfo = UTC
    now: datetime | None = None

    def user(self, user_id: str, fallback: str = "") -> str:
        return self.users.get(user_id) or fallback or user_id

    def channel(self, channel_id: str, fallback: str = "") -> str:
        return self.channels.get(channel_id) or fallback or channel_id


def emoji_to_text(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def slack_unescape(text: str) -> str:
    """Undo the three entities Slack requires apps to send."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn_to_html(text: str, directory: Directory) -> str:
    """Render one mrkdwn string as HTML."""
    slots: list[str] = []
    text = text.replace("\x00", "")  # reserved for the slots below

    def keep(markup: str) -> str:
        slots.append(markup)
        return f"\x00{len(slots) - 1}\x00"

    def plain(part: str) -> str:
        return html.escape(slack_unescape(part), quote=False)

    text = _PRE.sub(lambda m: keep(f"<pre>{plain(m.group(1).strip(chr(10)))}</pre>"), text)
    text = _CODE.sub(lambda m: keep(f"<code>{plain(m.group(1))}</code>"), text)
    text = _CONTROL.sub(lambda m: keep(control_to_html(m.group(1), directory)), text)
    text = _BARE_URL.sub(
        lambda m: keep(link_to_html(slack_unescape(m.group(0)), "", directory)), text)
    text = html.escape(slack_unescape(emoji_to_text(text)), quote=False)
    for pattern, tag in _STYLES:
        text = pattern.sub(rf"<{tag}>\1</{tag}>", text)
    text = text.replace("\n", "<br>")
    # A slot may hold another (a code span in a link's label): fill inside out.
    for _ in range(len(slots) + 1):
        if not _SLOT.search(text):
            break
        text = _SLOT.sub(lambda m: slots[int(m.group(1))], text)
    return text


def control_to_html(body: str, directory: Directory) -> str:
    """One `<…>` control sequence: mention, channel, special, date or link."""
    target, _, label = body.partition("|")
    label = slack_unescape(label)
    if target.startswith("@"):
        name = directory.user(target[1:], label.lstrip("@"))
        return _span("mention", f"@{name}")
    if target.startswith("#"):
        return channel_link(target[1:], directory.channel(target[1:], label))
    if target.startswith("!"):
        return _special(target[1:], label, directory)
    return link_to_html(slack_unescape(target), label, directory)


def channel_link(channel_id: str, name: str) -> str:
    attr = html.escape(channel_id)
    return (f'<a class="channel-link" href="#{attr}" data-channel="{attr}">'
            f"#{html.escape(name)}</a>")


def link_to_html(url: str, label: str, directory: Directory, *, css: str = "",
                 markup: str = "") -> str:
    """A link (label as text, or ready `markup`); archive links stay in the sandbox."""
    parts = urlsplit(url)
    classes = f' class="{html.escape(css)}"' if css else ""
    if parts.scheme not in ("http", "https", "mailto"):
        return markup or html.escape(label or url)
    if directory.team_domain and parts.netloc == f"{directory.team_domain}.slack.com":
        archive = _ARCHIVE.match(parts.path)
        if archive:
            channel_id = archive.group(1)
            name = directory.channel(channel_id)
            text = label or (f"message in #{name}" if archive.group(2) else f"#{name}")
            attr = html.escape(channel_id)
            return (f'<a class="channel-link permalink {html.escape(css)}" href="#{attr}"'
                    f' data-channel="{attr}" title="{html.escape(url)}">'
                    f"{markup or html.escape(text)}</a>")
    return (f'<a{classes} href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
            f"{markup or html.escape(label or url)}</a>")


def _special(command: str, label: str, directory: Directory) -> str:
    name, _, rest = command.partition("^")
    if name in ("here", "channel", "everyone"):
        return _span("mention", f"@{name}")
    if name == "subteam":
        return _span("mention", label or f"@{directory.groups.get(rest, rest)}")
    if name == "date":
        return date_to_html(rest, label, directory)
    return html.escape(label or f"<{command}>")


def date_to_html(spec: str, fallback: str, directory: Directory) -> str:
    """`<!date^unix^format[^link]|fallback>` in the reader's time zone."""
    stamp, _, rest = spec.partition("^")
    template, _, _link = rest.partition("^")
    try:
        moment = datetime.fromtimestamp(int(stamp), tz=UTC).astimezone(directory.tz)
    except (ValueError, OverflowError, OSError):
        return html.escape(fallback)
    now = (directory.now or datetime.now(tz=UTC)).astimezone(directory.tz)
    text = re.sub(r"\{(\w+)\}", lambda m: date_token(m.group(1), moment, now, m.group(0)),
                  template)
    return (f'<time datetime="{moment.isoformat()}" title="{html.escape(fallback)}">'
            f"{html.escape(text)}</time>")


def date_token(token: str, moment: datetime, now: datetime, original: str) -> str:
    """One of Slack's date tokens, as Slack documents them."""
    day = moment.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    long_date = f"{moment:%B} {day}{suffix}, {moment.year}"
    pretty = _relative_day(moment, now)
    tokens = {
        "date_num": f"{moment:%Y-%m-%d}",
        "date": long_date,
        "date_short": f"{moment:%b} {day}, {moment.year}",
        "date_long": f"{moment:%A}, {long_date}",
        "date_pretty": pretty or long_date,
        "date_short_pretty": pretty or f"{moment:%b} {day}, {moment.year}",
        "date_long_pretty": pretty or f"{moment:%A}, {long_date}",
        "time": f"{moment:%I:%M %p}".lstrip("0"),
        "time_secs": f"{moment:%I:%M:%S %p}".lstrip("0"),
        "ago": _ago(moment, now),
    }
    return tokens.get(token, original)


def _relative_day(moment: datetime, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    return {0: "today", -1: "yesterday", 1: "tomorrow"}.get(days, "")


def _ago(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            amount = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {amount}" if future else f"{amount} ago"
    return "just now"


def _span(css_class: str, text: str) -> str:
    return f'<span class="{css_class}">{html.escape(text)}</span>'
