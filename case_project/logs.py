"""Log records as single stdout lines, with secrets redacted and context added.

`logging_config()` builds the LOGGING dict used by the settings (and by
gunicorn.conf.py). Every record passes through `RedactSecretsFilter`, which
masks Slack tokens by shape and the configured secret values wherever they
appear (message, arguments, exception text), and `LogContextFilter`, which
appends the fields bound with `log_bind()` (e.g. the investigation's public
id during an outbox delivery).
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

# Slack tokens by shape: bot (xoxb-), user (xoxp-), app-level (xapp-),
# rotating/refresh (xoxe-, xoxe.xoxb-…) and any other xox?- kind.
SLACK_TOKEN_PATTERN = re.compile(r"\b(xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9._-]+")
REDACTED = "[redacted]"
# Settings whose values never appear in a log line, whatever their shape.
SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_SECRET",
    "PAGERDUTY_ROUTING_KEY",
    "SECRET_KEY",
)
# Shorter values are not masked: a test value like "x" would mask every "x".
MIN_SECRET_LENGTH = 8

_context: ContextVar[dict[str, Any] | None] = ContextVar("case_log_context", default=None)


def _bound() -> dict[str, Any]:
    return _context.get() or {}


def secret_values() -> list[str]:
    """The configured secrets, longest first (a secret may contain another)."""
    from django.conf import settings

    if not settings.configured:
        return []
    values = {str(getattr(settings, name, "") or "") for name in SECRET_SETTINGS}
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def redact(text: str) -> str:
    """Mask Slack tokens and configured secret values in `text`."""
    for value in secret_values():
        if value in text:
            text = text.replace(value, REDACTED)
    return SLACK_TOKEN_PATTERN.sub(lambda match: f"{match.group(1)}-{REDACTED}", text)


def redact_data(data: Any) -> Any:
    """Redact every string inside nested dicts, lists and tuples (Sentry events)."""
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, dict):
        return {key: redact_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(redact_data(item) for item in data)
    return data


class RedactSecretsFilter(logging.Filter):
    """Rewrite a record so that no secret reaches any handler's output.

    The message is rendered with its arguments first, because a token is as
    likely to arrive as an argument (or inside an exception) as in the text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still gets logged, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class LogContextFilter(logging.Filter):
    """Set `record.context`: " key=value …" for the fields bound in this context."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = dict(_bound())
        for key in ("investigation", "outbox_id"):  # also accepted as logging `extra`
            if getattr(record, key, None) is not None:
                fields[key] = getattr(record, key)
        record.context = "".join(
            f" {key}={value}" for key, value in fields.items() if value not in (None, "")
        )
        return True


class OneLineFormatter(logging.Formatter):
    """Exactly one output line per record: newlines (tracebacks too) escaped."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "context"):
            record.context = ""
        return super().format(record).replace("\r", "").replace("\n", "\\n")


P = ParamSpec("P")
R = TypeVar("R")


def log_scope(function: Callable[P, R]) -> Callable[P, R]:
    """Fields bound with `log_bind()` inside `function` vanish when it returns."""

    @wraps(function)
    def scoped(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _context.set(dict(_bound()))
        try:
            return function(*args, **kwargs)
        finally:
            _context.reset(token)

    return scoped


def log_bind(**fields: Any) -> None:
    """Add fields to every log line of the current context (see `log_scope`)."""
    _context.set({**_bound(), **fields})


@contextmanager
def log_fields(**fields: Any) -> Iterator[None]:
    """Bind fields for the duration of a `with` block."""
    token = _context.set({**_bound(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s"


def logging_config(*, level: str = "INFO", one_line: bool = True) -> dict[str, Any]:
    """The LOGGING dict: stdout, redacted, with context; one line per event unless told."""
    formatter = "one_line" if one_line else "multi_line"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "case_project.logs.RedactSecretsFilter"},
            "context": {"()": "case_project.logs.LogContextFilter"},
        },
        "formatters": {
            "one_line": {"()": "case_project.logs.OneLineFormatter", "format": LINE_FORMAT},
            "multi_line": {"format": LINE_FORMAT},
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": formatter,
                "filters": ["redact", "context"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        # Django's own loggers propagate to root: no second, unfiltered handler.
        "loggers": {
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
        },
    }
