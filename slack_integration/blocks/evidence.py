"""Collect Evidence: the picker modal, its options, its outcome, and the
post that puts a collected message's permalink in the case channel."""

from typing import Any

from investigations.models import Evidence, Investigation
from slack_integration.blocks.base import channel, escape, plain, section, user
from slack_integration.ids import COLLECT_EVIDENCE_SELECT_ACTION_ID as SELECT_ACTION_ID
from slack_integration.ids import COLLECT_EVIDENCE_SELECT_BLOCK_ID as SELECT_BLOCK_ID
from slack_integration.ids import COLLECT_EVIDENCE_VIEW_CALLBACK_ID as VIEW_CALLBACK_ID

OPTIONS_LIMIT = 100  # Slack shows at most 100 options from an external select
OPTION_TEXT_LIMIT = 75  # an option's text

NONE_OPEN = (
    "⚠️ There is no open investigation to add this message to. "
    "Open one with `/case open &lt;title&gt;`, then collect the message again."
)


def evidence_post(evidence: Evidence) -> dict:
    """Plain text with the bare permalink, so Slack unfurls the message for
    those allowed to see it and Case never reads the message itself."""
    return {
        "text": f"📎 Evidence added by {user(evidence.added_by)}: {escape(evidence.permalink)}",
        "unfurl_links": True,
        "unfurl_media": True,
    }


def investigation_option(investigation: Investigation) -> dict[str, Any]:
    """`name · title`, cut to Slack's option length; the value is the public id."""
    return {
        "text": plain(f"{investigation.name} · {investigation.title}", OPTION_TEXT_LIMIT),
        "value": str(investigation.public_id),
    }


def investigation_options(shown: list[Investigation], *, total: int) -> dict[str, Any]:
    """The options answer; when more match than are shown, a group label says so."""
    options = [investigation_option(i) for i in shown[:OPTIONS_LIMIT]]
    if total <= len(options):
        return {"options": options}
    label = f"Newest {len(options)} of {total}: type to narrow"
    return {"option_groups": [{"label": plain(label, OPTION_TEXT_LIMIT), "options": options}]}


def collect_evidence_view(*, private_metadata: str, initial: Investigation | None) -> dict:
    """The picker: an external select searching every open investigation."""
    select: dict[str, Any] = {
        "type": "external_select",
        "action_id": SELECT_ACTION_ID,
        "placeholder": plain("Search open investigations"),
        "min_query_length": 0,
    }
    if initial is not None:
        select["initial_option"] = investigation_option(initial)
    return {
        "type": "modal",
        "callback_id": VIEW_CALLBACK_ID,
        "title": plain("Collect Evidence", 24),
        "submit": plain("Add Evidence", 24),
        "close": plain("Cancel", 24),
        "private_metadata": private_metadata,
        "blocks": [
            section("Link this message to an investigation. Case stores only its link."),
            {
                "type": "input",
                "block_id": SELECT_BLOCK_ID,
                "label": plain("Investigation"),
                "element": select,
            },
        ],
    }


def evidence_added_view(investigation: Investigation) -> dict:
    """The modal's last screen: where the message went."""
    return {
        "type": "modal",
        "callback_id": VIEW_CALLBACK_ID,
        "title": plain("Collect Evidence", 24),
        "close": plain("Done", 24),
        "blocks": [
            section(
                f"📎 Added to *{escape(investigation.name)}*. "
                f"The link is being posted in {channel(investigation.channel_id or '')}."
            )
        ],
    }
