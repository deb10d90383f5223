"""The investigation domain: models, state machine, services, outbox."""
