"""SQL building blocks for reports: durations in seconds and the median."""

from typing import Any

from django.db import NotSupportedError
from django.db.models import Aggregate, Expression, FloatField, Func, TextField


class Seconds(Func):
    """Seconds from `start` to `end` as a float, computed by the database.

    Plain floats average, sum and sort the same way on every backend, where
    intervals (PostgreSQL) and microsecond integers (SQLite) do not.
    """

    arity = 2
    output_field = FloatField()

    def __init__(self, end: Expression | str, start: Expression | str, **extra: Any) -> None:
        super().__init__(end, start, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        raise NotSupportedError(f"Seconds() has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # Django's own exact microsecond difference (julianday() is a float of
        # days and drifts by microseconds).
        return super().as_sql(
            compiler,
            connection,
            template="(django_timestamp_diff(%(expressions)s) / 1000000.0)",
            **extra_context,
        )


class Median(Aggregate):
    """The interpolated 50th percentile: PostgreSQL's `percentile_cont(0.5)`.

    SQLite has no ordered-set aggregates; `reporting.metrics` asks
    `median_in_sql()` first and falls back to reading the middle row(s).
    """

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        raise NotSupportedError("SQLite has no percentile_cont; see reporting.metrics.")


def median_in_sql(connection: Any) -> bool:
    """Whether `Median` runs on this connection's database."""
    return connection.vendor == "postgresql"


class JoinedText(Aggregate):
    """The group's non-null texts joined by single spaces, in text order.

    PostgreSQL sorts them (`STRING_AGG … ORDER BY`); SQLite's `group_concat`
    keeps the order rows are read in, which it does not promise.
    """

    function = "STRING_AGG"
    name = "JoinedText"
    template = "%(function)s(%(expressions)s, ' ' ORDER BY %(expressions)s)"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ' ')",
            **extra_context,
        )
