"""Block Kit builders: pure functions from domain objects to Slack messages.

`base` holds the shared pieces (escaping, mentions, dates, durations, block
constructors that respect Slack's size limits); one module per message family.
"""
