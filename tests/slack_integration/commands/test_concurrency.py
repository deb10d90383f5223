"""Ten people typing `/case incident` at once in one channel: one incident, one notice."""

import threading
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test import Client

from investigations.models import Incident, OutboxMessage
from tests.slack_integration.cases import ISSUES_CHANNEL, case_opened_in_slack, posts_in
from tests.slack_integration.conftest import SlackRequests, reply_of, text_of

PEOPLE = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_escalations_make_one_incident_and_one_notice(slack, fake_slack):
    people = [f"U0PERSON{n:02d}" for n in range(PEOPLE)]
    for person in people:
        fake_slack.add_user(person)
    case = case_opened_in_slack(fake_slack, members=tuple(people))
    start = threading.Barrier(PEOPLE)
    told: dict[str, str] = {}

    def escalate(person: str) -> None:
        requests = SlackRequests(client=Client(), fake=fake_slack)
        body = requests.command_body("incident", user_id=person, channel_id=case.channel_id)
        try:
            start.wait(timeout=10)
            ack = reply_of(requests.post(body))
            path = urlparse(parse_qs(body)["response_url"][0]).path
            followups = [r for r in fake_slack.responses if r["_url"] == path]
            told[person] = "\n".join(text_of(b) for b in (ack, *followups) if b)
        finally:
            connection.close()

    threads = [threading.Thread(target=escalate, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    incident = Incident.objects.get(investigation=case)
    assert incident.commander in people
    assert OutboxMessage.objects.filter(kind="slack.escalation_notice").count() == 1
    winners = [p for p, text in told.items() if "you are its commander" in text]
    refused = [p for p, text in told.items() if "already an active incident" in text]
    assert winners == [incident.commander]
    assert len(refused) == PEOPLE - 1
    # The notice went out once (eager delivery after commit), threaded once.
    assert len(posts_in(fake_slack, case.channel_id)) == 1
    assert len([p for p in posts_in(fake_slack, ISSUES_CHANNEL) if p.get("thread_ts")]) == 1
