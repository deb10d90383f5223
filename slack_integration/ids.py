"""Every Slack identifier Case's code and manifests share: commands, callback ids.

`tests/slack_integration/test_manifest.py` checks the manifests against these.
"""

COMMAND = "/case"

# The message shortcut that links a message to an investigation.
COLLECT_EVIDENCE_CALLBACK_ID = "add_event_to_investigation"
COLLECT_EVIDENCE_NAME = "Collect Evidence"

# Its modal: an external select over every open investigation.
COLLECT_EVIDENCE_VIEW_CALLBACK_ID = "select_investigation_for_event"
COLLECT_EVIDENCE_SELECT_BLOCK_ID = "investigation_select"
COLLECT_EVIDENCE_SELECT_ACTION_ID = "selected_investigation"

# A small modal that explains a refusal when there is no response_url.
REFUSAL_MODAL_CALLBACK_ID = "case_refusal"
