"""Slack's request URL: one endpoint for commands, interactivity and events."""

from django.urls import path

from slack_integration.views import slack_events

urlpatterns = [
    path("slack/events", slack_events, name="slack-events"),
]
