"""A built-in handler for checking the outbox end to end (`manage.py` and tests).

`outbox.echo` does nothing but succeed, fail transiently or fail permanently,
as its payload asks; it proves the mechanism without Slack or PagerDuty.
"""

from investigations.models import OutboxMessage
from investigations.outbox import PermanentDeliveryError, TransientDeliveryError, outbox_handler

ECHO = "outbox.echo"


@outbox_handler(ECHO, max_attempts=3)
def deliver_echo(message: OutboxMessage) -> None:
    failures = message.payload.get("transient_failures", 0)
    if message.attempts <= failures:
        raise TransientDeliveryError(
            f"echo: transient failure {message.attempts}",
            retry_after=message.payload.get("retry_after"),
        )
    if message.payload.get("permanent"):
        raise PermanentDeliveryError("echo: refused")
