"""The post that puts a collected message's permalink in the case channel."""

from investigations.models import Evidence
from slack_integration.blocks.base import escape, user


def evidence_post(evidence: Evidence) -> dict:
    """Plain text with the bare permalink, so Slack unfurls the message for
    those allowed to see it and Case never reads the message itself."""
    return {
        "text": f"📎 Evidence added by {user(evidence.added_by)}: {escape(evidence.permalink)}",
        "unfurl_links": True,
        "unfurl_media": True,
    }
