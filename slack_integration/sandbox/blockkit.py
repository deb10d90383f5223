"""Block Kit to safe HTML: messages and modals, as the sandbox draws them.

Covers what Case sends (header, section with text, fields and accessory,
context, divider, actions, input blocks with text inputs and static or
external selects) and the basics of rich_text; any other block is shown as a
labelled placeholder rather than dropped, so nothing an app sends goes unseen.
Images are shown by their alt text: the sandbox fetches nothing from outside.
"""

import html
import json
from typing import Any

from slack_integration.sandbox.mrkdwn import Directory, channel_link, emoji_to_text, link_to_html
from slack_integration.sandbox.mrkdwn import mrkdwn_to_html as _mrkdwn

Block = dict[str, Any]


def text_to_html(text: dict[str, Any] | str | None, directory: Directory) -> str:
    """A text object (plain_text or mrkdwn)."""
    if not text:
        return ""
    if isinstance(text, str):
        return html.escape(text)
    if text.get("type") == "mrkdwn":
        return _mrkdwn(str(text.get("text", "")), directory)
    plain = str(text.get("text", ""))
    return html.escape(emoji_to_text(plain) if text.get("emoji", True) else plain)


def message_to_html(message: dict[str, Any], directory: Directory) -> str:
    """A message's body: its blocks, or its mrkdwn `text` when it has none."""
    blocks = message.get("blocks") or []
    if blocks:
        return blocks_to_html(blocks, directory)
    return f'<div class="bk-text">{_mrkdwn(str(message.get("text", "")), directory)}</div>'


def blocks_to_html(blocks: list[Block], directory: Directory) -> str:
    return "".join(block_to_html(block, directory) for block in blocks)


def block_to_html(block: Block, directory: Directory) -> str:
    kind = block.get("type", "")
    render = _BLOCKS.get(kind)
    if render is None:
        return f'<div class="bk-unknown">[{html.escape(str(kind))} block]</div>'
    return render(block, directory)


def _header(block: Block, directory: Directory) -> str:
    return f'<div class="bk-header">{text_to_html(block.get("text"), directory)}</div>'


def _section(block: Block, directory: Directory) -> str:
    parts = []
    if block.get("text"):
        parts.append(f'<div class="bk-section-text">{text_to_html(block["text"], directory)}</div>')
    if block.get("fields"):
        fields = "".join(
            f'<div class="bk-field">{text_to_html(field, directory)}</div>'
            for field in block["fields"]
        )
        parts.append(f'<div class="bk-fields">{fields}</div>')
    body = f'<div class="bk-section-body">{"".join(parts)}</div>'
    accessory = block.get("accessory")
    side = f'<div class="bk-accessory">{element_to_html(accessory, directory)}</div>' if accessory else ""
    return f'<div class="bk-section">{body}{side}</div>'


def _context(block: Block, directory: Directory) -> str:
    items = "".join(
        f"<span>{element_to_html(element, directory)}</span>"
        for element in block.get("elements", [])
    )
    return f'<div class="bk-context">{items}</div>'


def _divider(block: Block, directory: Directory) -> str:
    return '<hr class="bk-divider">'


def _actions(block: Block, directory: Directory) -> str:
    items = "".join(element_to_html(element, directory) for element in block.get("elements", []))
    return f'<div class="bk-actions">{items}</div>'


def _image(block: Block, directory: Directory) -> str:
    title = text_to_html(block.get("title"), directory)
    alt = html.escape(str(block.get("alt_text", "image")))
    return f'<div class="bk-image">🖼 {title or alt}</div>'


def _rich_text(block: Block, directory: Directory) -> str:
    return "".join(_rich_element(part, directory) for part in block.get("elements", []))


def _rich_element(part: dict[str, Any], directory: Directory) -> str:
    kind = part.get("type")
    inner = "".join(_rich_inline(item, directory) for item in part.get("elements", []))
    if kind == "rich_text_preformatted":
        return f"<pre>{inner}</pre>"
    if kind == "rich_text_quote":
        return f"<blockquote>{inner}</blockquote>"
    if kind == "rich_text_list":
        tag = "ol" if part.get("style") == "ordered" else "ul"
        items = "".join(f"<li>{_rich_element(item, directory)}</li>"
                        for item in part.get("elements", []))
        return f"<{tag}>{items}</{tag}>"
    return f'<div class="bk-text">{inner}</div>'


def _rich_inline(item: dict[str, Any], directory: Directory) -> str:
    kind = item.get("type")
    if kind == "user":
        return f'<span class="mention">@{html.escape(directory.user(item.get("user_id", "")))}</span>'
    if kind == "channel":
        channel_id = item.get("channel_id", "")
        return channel_link(channel_id, directory.channel(channel_id))
    if kind == "link":
        return link_to_html(item.get("url", ""), item.get("text", ""), directory)
    if kind == "emoji":
        codes = str(item.get("unicode") or "")
        if codes:
            return "".join(chr(int(code, 16)) for code in codes.split("-"))
        return html.escape(emoji_to_text(f":{item.get('name', '')}:"))
    text = html.escape(str(item.get("text", ""))).replace("\n", "<br>")
    style = item.get("style") or {}
    for flag, tag in (("code", "code"), ("bold", "strong"), ("italic", "em"), ("strike", "del")):
        if style.get(flag):
            text = f"<{tag}>{text}</{tag}>"
    return text


def element_to_html(element: dict[str, Any] | None, directory: Directory) -> str:
    """An element in a section accessory, a context or an actions block."""
    if not element:
        return ""
    kind = element.get("type")
    if kind in ("plain_text", "mrkdwn"):
        return text_to_html(element, directory)
    if kind == "image":
        return f'<span class="bk-image-inline">🖼 {html.escape(str(element.get("alt_text", "")))}</span>'
    if kind == "button":
        style = element.get("style", "")
        label = text_to_html(element.get("text"), directory)
        url = element.get("url")
        if url:
            return link_to_html(str(url), "", directory, css=f"bk-button {style}", markup=label)
        return (f'<button type="button" class="bk-button {html.escape(style)}" disabled '
                f'title="Buttons are drawn, not simulated">{label}</button>')
    label = text_to_html(element.get("placeholder") or element.get("text"), directory)
    return f'<span class="bk-element">[{html.escape(str(kind))}] {label}</span>'


_BLOCKS = {
    "header": _header,
    "section": _section,
    "context": _context,
    "divider": _divider,
    "actions": _actions,
    "image": _image,
    "rich_text": _rich_text,
}


# --- Modals -----------------------------------------------------------------

def view_to_html(view: dict[str, Any], directory: Directory) -> str:
    """A modal's body: its blocks, with input blocks drawn as form controls."""
    parts = []
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            parts.append(input_to_html(block, directory))
        else:
            parts.append(block_to_html(block, directory))
    return "".join(parts)


def input_to_html(block: Block, directory: Directory) -> str:
    block_id = html.escape(str(block.get("block_id", "")))
    element = block.get("element") or {}
    label = text_to_html(block.get("label"), directory)
    optional = ' <span class="bk-optional">(optional)</span>' if block.get("optional") else ""
    hint = block.get("hint")
    hint_html = f'<div class="bk-hint">{text_to_html(hint, directory)}</div>' if hint else ""
    return (f'<div class="bk-input" data-block-id="{block_id}">'
            f"<label>{label}{optional}</label>{input_element_to_html(element, directory)}"
            f'{hint_html}<div class="bk-error" role="alert"></div></div>')


def input_element_to_html(element: dict[str, Any], directory: Directory) -> str:
    kind = str(element.get("type", ""))
    action = html.escape(str(element.get("action_id", "")))
    placeholder = html.escape(str((element.get("placeholder") or {}).get("text", "")))
    common = f'data-action-id="{action}" data-type="{html.escape(kind)}"'
    if kind == "plain_text_input":
        value = html.escape(str(element.get("initial_value", "")))
        if element.get("multiline"):
            return f'<textarea class="bk-control" {common} placeholder="{placeholder}">{value}</textarea>'
        return f'<input class="bk-control" type="text" {common} placeholder="{placeholder}" value="{value}">'
    if kind == "static_select":
        initial = (element.get("initial_option") or {}).get("value")
        options = "".join(_option_html(option, initial) for option in _options_of(element))
        return (f'<select class="bk-control" {common}><option value="">{placeholder or "Choose…"}'
                f"</option>{options}</select>")
    if kind == "external_select":
        initial = element.get("initial_option") or {}
        chosen_text = html.escape(str((initial.get("text") or {}).get("text", "")))
        chosen_value = html.escape(str(initial.get("value", "")))
        min_query = int(element.get("min_query_length", 3))
        return (f'<div class="bk-control bk-external" {common} data-min-query="{min_query}"'
                f' data-value="{chosen_value}" data-text="{chosen_text}">'
                f'<input type="search" class="bk-query" placeholder="{placeholder}"'
                f' value="{chosen_text}" autocomplete="off">'
                f'<ul class="bk-suggestions" role="listbox"></ul></div>')
    return f'<div class="bk-unknown">[{html.escape(kind)} input]</div>'


def _options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _option_html(option: dict[str, Any], initial: str | None) -> str:
    value = str(option.get("value", ""))
    selected = " selected" if value == initial else ""
    text = html.escape(str((option.get("text") or {}).get("text", value)))
    return f'<option value="{html.escape(value)}"{selected}>{text}</option>'


def flat_options(body: dict[str, Any]) -> list[dict[str, str]]:
    """A block_suggestion answer's options, groups flattened, as text/value pairs."""
    found = []
    for option in body.get("options") or []:
        found.append(_plain_option(option, ""))
    for group in body.get("option_groups") or []:
        label = str((group.get("label") or {}).get("text", ""))
        found.extend(_plain_option(option, label) for option in group.get("options") or [])
    return found


def _plain_option(option: dict[str, Any], group: str) -> dict[str, str]:
    return {"text": str((option.get("text") or {}).get("text", "")),
            "value": str(option.get("value", "")), "group": group}


def state_values(view: dict[str, Any], entered: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Build `view.state.values` as Slack sends it, from what the person entered.

    `entered` maps block_id to {"value": …, "text": …} from the browser; the
    element's type and the option texts come from the view itself, so the
    payload is shaped by the app's view, not by the page.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        block_id, action_id = block.get("block_id", ""), element.get("action_id", "")
        kind = element.get("type", "")
        given = entered.get(block_id) or {}
        value = str(given.get("value") or "")
        if kind == "plain_text_input":
            state: dict[str, Any] = {"type": kind, "value": value or None}
        elif kind in ("static_select", "external_select"):
            if kind == "static_select":
                text = next((str(o["text"]["text"]) for o in _options_of(element)
                             if str(o.get("value")) == value), "")
            else:
                text = str(given.get("text") or "")
            option = {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}
            state = {"type": kind, "selected_option": option if value else None}
        else:
            state = {"type": kind}
        values[block_id] = {action_id: state}
    return values


def missing_required(view: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """Errors Slack's own client shows before sending a submission."""
    errors = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input" or block.get("optional"):
            continue
        state = next(iter(values.get(block.get("block_id", ""), {}).values()), {})
        if not (state.get("value") or state.get("selected_option")):
            errors[block.get("block_id", "")] = "Please complete this required field."
    return errors


def view_digest(view: dict[str, Any]) -> str:
    """A stable string identifying a view's content (to notice views.update)."""
    return json.dumps(view, sort_keys=True, default=str)
