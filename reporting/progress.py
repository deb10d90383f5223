"""A terminal progress bar for long commands (stdlib only, redrawn in place)."""

import time
from typing import Any, Protocol

WIDTH = 30


class Stream(Protocol):
    def write(self, text: str) -> Any: ...

    def flush(self) -> Any: ...


class ProgressBar:
    """`done/total [#####-----] 50%` on one line of `stream`, at most ~10 redraws a second."""

    def __init__(self, stream: Stream, *, total: int, label: str = "Exporting") -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self._drawn_at = 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        share = min(done / self.total, 1.0) if self.total else 1.0
        filled = int(share * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} {done:,}/{self.total:,} [{bar}] {share:4.0%}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Unended:
    """A management command's output that writes text as given, with no added newline."""

    def __init__(self, output: Any) -> None:
        self.output = output

    def write(self, text: str) -> None:
        self.output.write(text, ending="")

    def flush(self) -> None:
        self.output.flush()
