"""The sandbox's workspace: the fake Slack's people, plus channels worth a demo.

Adds to `seeded_workspace()` an #alerts channel where a monitoring bot has
fired, a #support channel with a customer report and a chat in #general: the
messages a new user collects as evidence in the Quick Demo.
"""

from slack_integration.fakes.slack_api import BOT_USER_ID, FakeSlack, seeded_workspace

ALICE, BOB, CAROL, DAVE = "U0ALICE001", "U0BOB00001", "U0CAROL001", "W0DAVE0001"
GUEST, SINGLE, STRANGER = "U0GUEST001", "U0SINGLE01", "U0STRANGE1"
MONITOR = "U0HELPER01"  # the seeded helper bot, posting alerts here
SLACKBOT = "USLACKBOT"
ISSUES_CHANNEL_ID = "C0ISSUES01"
GENERAL_CHANNEL_ID = "C0GENERAL1"
ALERTS_CHANNEL_ID = "C0ALERTS01"
SUPPORT_CHANNEL_ID = "C0SUPPORT1"
RESPONSE_GROUP_ID = "S0RESPOND1"  # seeded: bob and carol
GROUP_HANDLES = {RESPONSE_GROUP_ID: "incident-response"}

# Display names (the seeded ones are bare handles).
REAL_NAMES = {
    ALICE: "Alice Archer", BOB: "Bob Baptiste", CAROL: "Carol Chen", DAVE: "Dave Diaz",
    GUEST: "Gus Guest (guest)", SINGLE: "Sid Single (single-channel guest)",
    STRANGER: "Sam Stranger (other organisation)", MONITOR: "Monitoring", BOT_USER_ID: "Case",
    SLACKBOT: "Slackbot",
}
TEAM_MEMBERS = (ALICE, BOB, CAROL, DAVE)


def sandbox_workspace() -> FakeSlack:
    """A fresh, unstarted workspace with people, channels and a few messages."""
    fake = seeded_workspace()
    fake.add_user(SLACKBOT, name="slackbot", is_bot=True)
    for user_id, real_name in REAL_NAMES.items():
        fake.users[user_id]["real_name"] = real_name
        fake.users[user_id]["profile"]["display_name"] = real_name.split(" (")[0]
    everyone = (*TEAM_MEMBERS, GUEST, SINGLE, STRANGER)
    fake.add_channel("alerts", channel_id=ALERTS_CHANNEL_ID, members=(*TEAM_MEMBERS, MONITOR))
    fake.add_channel("support", channel_id=SUPPORT_CHANNEL_ID, members=(*everyone,))
    fake.add_channel("deploys-2023", members=TEAM_MEMBERS, is_archived=True)
    for channel_id in (ISSUES_CHANNEL_ID, GENERAL_CHANNEL_ID):
        fake.channels[channel_id]["members"].update(everyone)
    fake.channels[ISSUES_CHANNEL_ID]["topic"] = {"value": "Case announces investigations here"}
    _seed_messages(fake)
    return fake


def _seed_messages(fake: FakeSlack) -> None:
    fake.post_user_message(
        ALERTS_CHANNEL_ID, MONITOR, "[FIRING] api-gateway p99 latency above 1s",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "🚨 [FIRING] API latency"}},
            {"type": "section", "text": {"type": "mrkdwn",
             "text": "*api-gateway* p99 latency is *2.4 s* (threshold 1 s) for 10 minutes."},
             "fields": [
                 {"type": "mrkdwn", "text": "*Service:*\n`api-gateway`"},
                 {"type": "mrkdwn", "text": "*Severity:*\n_warning_"},
                 {"type": "mrkdwn", "text": "*Region:*\neu-west-1"},
                 {"type": "mrkdwn", "text": "*Runbook:*\n`runbooks/api-latency.md`"},
             ]},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": "Alertmanager · rule `ApiLatencyHigh`"}]},
        ],
    )
    fake.post_user_message(
        SUPPORT_CHANNEL_ID, CAROL,
        "Acme Corp says checkout keeps timing out since ~14:40 (ticket #4521). "
        "Anyone looking at this?",
    )
    fake.post_user_message(GENERAL_CHANNEL_ID, BOB, "Is the API slow for anyone else? :eyes:")
    fake.post_user_message(
        GENERAL_CHANNEL_ID, ALICE,
        f"Yes, see <#{ALERTS_CHANNEL_ID}> and <#{SUPPORT_CHANNEL_ID}>. "
        "I'll open an investigation: type `/case open API response times increasing`.",
    )
