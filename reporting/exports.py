"""Asking for an export to be built by a worker and delivered to someone in Slack."""

import uuid

from django.db import transaction

from investigations.models import OutboxMessage
from investigations.outbox import outbox_record

# The outbox kind; slack_integration registers the handler that builds the
# CSV and uploads it to the person's DM.
EXPORT_TO_SLACK = "slack.export_csv"


@transaction.atomic
def export_request(
    *, user_id: str, response_url: str = "", days: int | None = None, request_id: str = ""
) -> OutboxMessage:
    """Record an export for `user_id` (opened in the last `days`, or all time).

    The CSV is built after commit, in a worker: a large history never holds up
    the request. `request_id` (e.g. the command's trigger_id) makes a retried
    request record it once.
    """
    key = f"{EXPORT_TO_SLACK}:{request_id or uuid.uuid4()}"
    return outbox_record(
        kind=EXPORT_TO_SLACK,
        key=key,
        payload={"user_id": user_id, "response_url": response_url, "days": days},
    )
