"""The `/case` command: a registry other modules plug subcommands into, and a router.

Importing this package registers Case's own subcommands; other apps register
theirs from their `AppConfig.ready()` (see `registry.subcommand`).
"""

from slack_integration.commands import (  # noqa: F401  (each registers on import)
    closing,
    export,
    help,
    incident,
    listing,
    opening,
    stats,
    status,
    transfer,
)
