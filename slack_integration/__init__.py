"""Everything that talks to Slack: Bolt app, listeners, Block Kit, handlers."""
