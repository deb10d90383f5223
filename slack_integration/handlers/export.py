"""Outbox handler: build a CSV export and upload it to the requester's DM.

`files_upload_v2` refuses a user id (`U…`) as its channel, so the DM is
opened first (`conversations.open`, scope `im:write`; the upload needs
`files:write`). The upload is recorded in the message's payload before the
reply, so a retry after a failed reply does not upload twice.
"""

import tempfile
from pathlib import Path

from django.utils import timezone

from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler
from reporting.csv_export import csv_write, export_filename, export_queryset
from reporting.exports import EXPORT_TO_SLACK
from reporting.periods import Period
from slack_integration.blocks.replies import warning_text
from slack_integration.client import slack_client, slack_errors_as_delivery_errors
from slack_integration.responses import user_notify

NOTHING_TO_EXPORT = "There are no investigations to export yet."


def _upload(message: OutboxMessage) -> dict:
    """Write the CSV and upload it to the DM; return what was sent."""
    payload = message.payload
    now = timezone.now()
    days = payload.get("days")
    period = Period.last(days=days, now=now) if days else Period()
    filename = export_filename(now)
    scope = f"opened in the last {days} days" if days else "all time"
    with tempfile.TemporaryDirectory(prefix="case-export-") as folder:
        path = Path(folder) / filename
        with path.open("w", encoding="utf-8", newline="") as handle:
            rows = csv_write(handle, export_queryset(period=period), now=now)
        if rows == 0:
            return {"rows": 0, "filename": ""}
        api = slack_client()
        with slack_errors_as_delivery_errors("conversations.open"):
            dm = api.conversations_open(users=payload["user_id"])["channel"]["id"]
        with slack_errors_as_delivery_errors("files_upload_v2"):
            api.files_upload_v2(
                channel=dm, file=str(path), filename=filename, title=filename,
                initial_comment=f"📊 Case export: {rows} investigation(s), {scope}.",
            )
    return {"rows": rows, "filename": filename, "channel": dm}


def _tell_failure(message: OutboxMessage) -> None:
    reason = message.last_error or "unknown error"
    user_notify(
        user_id=message.payload.get("user_id", ""),
        response_url=message.payload.get("response_url", ""),
        content={"text": warning_text(f"The export could not be sent ({reason}). Please try again.")},
    )


@outbox_handler(EXPORT_TO_SLACK, max_attempts=5, on_give_up=_tell_failure)
def deliver_export(message: OutboxMessage) -> None:
    sent = message.payload.get("sent")
    if sent is None:
        sent = message.payload["sent"] = _upload(message)
    if sent["rows"]:
        text = f"✅ Export sent to your DMs: {sent['rows']} investigation(s) in {sent['filename']}."
    else:
        text = NOTHING_TO_EXPORT
    user_notify(
        user_id=message.payload["user_id"],
        response_url=message.payload.get("response_url", ""),
        content={"text": text},
    )
