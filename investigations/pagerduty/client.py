"""A plain JSON POST to the PagerDuty Events API v2, and what came back.

The standard library is enough: the maintained `pagerduty` client refuses
non-https URLs (tests use a loopback fake) and `pdpyras` is deprecated.
Redirects are not followed: the enqueue URL is configured, not discovered.
"""

import http.client
import json
import math
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

# A page must not hold a worker (and the outbox row lock) for long: an
# unanswered POST is retried by the outbox's backoff instead.
TIMEOUT_SECONDS = 10.0
REASON_LIMIT = 500
USER_AGENT = "Case (PagerDuty Events API v2)"


class PagerDutyUnreachableError(Exception):
    """No HTTP answer: refused, reset, timed out, DNS failure."""


@dataclass(frozen=True)
class PagerDutyAnswer:
    status: int
    body: dict[str, Any]
    retry_after: float | None = None

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    @property
    def reason(self) -> str:
        """What PagerDuty said, short enough for the outbox row and Slack."""
        parts = [f"PagerDuty answered {self.status}"]
        for key in ("status", "message"):
            value = self.body.get(key)
            if isinstance(value, str) and value and value not in parts:
                parts.append(value)
        errors = self.body.get("errors")
        if isinstance(errors, list) and errors:
            parts.append("; ".join(str(error) for error in errors))
        reason = ": ".join(parts)
        return reason if len(reason) <= REASON_LIMIT else reason[: REASON_LIMIT - 1] + "…"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx surfaces as an HTTPError, answered like any refusal


_opener = urllib.request.build_opener(_NoRedirects)


def events_enqueue(
    event: dict[str, Any], *, url: str, timeout: float = TIMEOUT_SECONDS
) -> PagerDutyAnswer:
    """POST one event; return PagerDuty's answer, whatever its status.

    Raises `PagerDutyUnreachableError` when no answer came, and `ValueError` for
    a URL that is not http(s) (the system check reports that at start-up).
    """
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"PAGERDUTY_EVENTS_URL must be an http(s) URL, not {url!r}")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=json.dumps(event).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return _answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return _answer(error.code, error.read(), error.headers)
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise PagerDutyUnreachableError(_unreachable_reason(error)) from error


def _answer(status: int, raw: bytes, headers: Any) -> PagerDutyAnswer:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = {"message": raw[:200].decode(errors="replace").strip()}
    if not isinstance(body, dict):
        body = {}
    return PagerDutyAnswer(status, body, retry_after_seconds(headers.get("Retry-After")))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a Retry-After header: delta-seconds or an HTTP date; junk is None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _unreachable_reason(error: Exception) -> str:
    cause = getattr(error, "reason", error)
    if isinstance(cause, TimeoutError):
        return "PagerDuty did not answer in time"
    return f"PagerDuty could not be reached: {cause}"
