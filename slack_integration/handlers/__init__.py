"""Outbox handlers: the Slack side of each state change, one module per concern.

Each module registers its handlers with `@outbox_handler` on import
(`SlackIntegrationConfig.ready()` imports them). A handler is safe to run
twice: the outbox delivers a row once under its lock, and a handler does at
most one Slack write that cannot be repeated harmlessly (a post), after any
that can (invites, updates, topics, the archive), so a retry after a partial
failure never posts twice.
"""
