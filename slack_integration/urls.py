"""Slack's request URL(s)."""

urlpatterns: list = []
