"""PagerDuty Events API v2: pages for incidents, sent through the outbox.

`payloads` builds the events, `client` posts them, `handlers` deliver the
`pagerduty.*` outbox effects and `checks` validates the settings.
"""
