"""Block Kit drawn as HTML; modal input turned back into Slack's state values."""

from slack_integration.sandbox.blockkit import (
    blocks_to_html,
    flat_options,
    message_to_html,
    missing_required,
    state_values,
    view_to_html,
)
from slack_integration.sandbox.mrkdwn import Directory

DIRECTORY = Directory(users={"U0ALICE001": "Alice Archer"}, channels={"C0ISSUES01": "issues"},
                      team_domain="case-test")

MODAL = {
    "type": "modal",
    "callback_id": "select_investigation_for_event",
    "private_metadata": '{"channel": "C0GENERAL1", "ts": "1.000100"}',
    "title": {"type": "plain_text", "text": "Collect Evidence"},
    "submit": {"type": "plain_text", "text": "Add"},
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Add this message to a case."}},
        {"type": "input", "block_id": "investigation_select",
         "label": {"type": "plain_text", "text": "Investigation"},
         "element": {"type": "external_select", "action_id": "selected_investigation",
                     "min_query_length": 0,
                     "placeholder": {"type": "plain_text", "text": "Search <cases>"}}},
        {"type": "input", "block_id": "severity", "optional": True,
         "label": {"type": "plain_text", "text": "Severity"},
         "element": {"type": "static_select", "action_id": "level", "options": [
             {"text": {"type": "plain_text", "text": "Low"}, "value": "low"},
             {"text": {"type": "plain_text", "text": "High"}, "value": "high"}]}},
        {"type": "input", "block_id": "note", "optional": True,
         "label": {"type": "plain_text", "text": "Note"},
         "element": {"type": "plain_text_input", "action_id": "text", "multiline": True}},
    ],
}


def test_a_message_with_every_block_case_sends():
    html = blocks_to_html([
        {"type": "header", "text": {"type": "plain_text", "text": "🚨 Incident <declared>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Commander:* <@U0ALICE001>"},
         "fields": [{"type": "mrkdwn", "text": "*Status:*\nescalated"},
                    {"type": "plain_text", "text": "a *plain* field"}],
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Open"},
                       "url": "https://case-test.slack.com/archives/C0ISSUES01"}},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "in <#C0ISSUES01>"}]},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Ack"}, "style": "primary",
             "action_id": "ack"}]},
    ], DIRECTORY)
    assert '<div class="bk-header">🚨 Incident &lt;declared&gt;</div>' in html
    assert '<strong>Commander:</strong> <span class="mention">@Alice Archer</span>' in html
    assert '<div class="bk-field"><strong>Status:</strong><br>escalated</div>' in html
    assert '<div class="bk-field">a *plain* field</div>' in html
    assert 'class="channel-link permalink bk-button "' in html
    assert ">Open</a>" in html
    assert '<hr class="bk-divider">' in html
    assert '<div class="bk-context"><span>in <a class="channel-link"' in html
    assert '<button type="button" class="bk-button primary" disabled' in html


def test_unknown_blocks_are_shown_not_dropped():
    assert blocks_to_html([{"type": "video"}], DIRECTORY) == (
        '<div class="bk-unknown">[video block]</div>'
    )


def test_a_message_without_blocks_shows_its_text():
    assert message_to_html({"text": "*hi* <@U0ALICE001>"}, DIRECTORY) == (
        '<div class="bk-text"><strong>hi</strong> <span class="mention">@Alice Archer</span></div>'
    )


def test_rich_text_as_people_write_it():
    html = blocks_to_html([{"type": "rich_text", "elements": [{
        "type": "rich_text_section", "elements": [
            {"type": "text", "text": "deploy ", "style": {"bold": True}},
            {"type": "user", "user_id": "U0ALICE001"},
            {"type": "emoji", "name": "fire", "unicode": "1f525"},
            {"type": "text", "text": "<script>"}]}]}], DIRECTORY)
    assert html == ('<div class="bk-text"><strong>deploy </strong><span class="mention">'
                    '@Alice Archer</span>🔥&lt;script&gt;</div>')


def test_a_modal_draws_its_inputs_as_controls():
    html = view_to_html(MODAL, DIRECTORY)
    assert '<div class="bk-input" data-block-id="investigation_select">' in html
    assert 'data-action-id="selected_investigation" data-type="external_select"' in html
    assert 'data-min-query="0"' in html
    assert 'placeholder="Search &lt;cases&gt;"' in html
    assert '<option value="high">High</option>' in html
    assert '<span class="bk-optional">(optional)</span>' in html
    assert '<textarea class="bk-control" data-action-id="text"' in html


def test_an_initial_option_is_preselected():
    chosen = {"text": {"type": "plain_text", "text": "case-api-a3f"}, "value": "42"}
    view = {"blocks": [{"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "L"},
                        "element": {"type": "external_select", "action_id": "a",
                                    "initial_option": chosen}}]}
    html = view_to_html(view, DIRECTORY)
    assert 'data-value="42" data-text="case-api-a3f"' in html
    assert 'value="case-api-a3f"' in html


def test_state_values_are_shaped_by_the_view():
    values = state_values(MODAL, {
        "investigation_select": {"value": "42", "text": "case-api-a3f: API slow"},
        "severity": {"value": "high", "text": "ignored: the view names it"},
        "note": {"value": "from the alert"},
    })
    assert values == {
        "investigation_select": {"selected_investigation": {
            "type": "external_select",
            "selected_option": {"text": {"type": "plain_text", "text": "case-api-a3f: API slow",
                                         "emoji": True}, "value": "42"}}},
        "severity": {"level": {
            "type": "static_select",
            "selected_option": {"text": {"type": "plain_text", "text": "High", "emoji": True},
                                "value": "high"}}},
        "note": {"text": {"type": "plain_text_input", "value": "from the alert"}},
    }


def test_nothing_chosen_is_none_and_a_required_field_is_reported():
    values = state_values(MODAL, {})
    assert values["investigation_select"]["selected_investigation"]["selected_option"] is None
    assert values["note"]["text"]["value"] is None
    assert missing_required(MODAL, values) == {
        "investigation_select": "Please complete this required field."
    }


def test_suggestion_options_and_groups_flatten():
    assert flat_options({
        "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "1"}],
        "option_groups": [{"label": {"type": "plain_text", "text": "Closed"},
                           "options": [{"text": {"type": "plain_text", "text": "B"}, "value": "2"}]}],
    }) == [{"text": "A", "value": "1", "group": ""}, {"text": "B", "value": "2", "group": "Closed"}]
    assert flat_options({}) == []
