"""The real slack_sdk client against the fake, and Slack errors sorted for retry."""

import pytest

from investigations.outbox import PermanentDeliveryError, TransientDeliveryError
from slack_integration.client import api_base_url, slack_client, slack_errors_as_delivery_errors


def test_base_url_gets_exactly_one_trailing_slash(settings):
    for configured in ("https://slack.example/api", "https://slack.example/api/"):
        settings.SLACK_API_BASE_URL = configured
        assert api_base_url() == "https://slack.example/api/"


def test_client_talks_to_the_fake_over_http(fake_slack):
    response = slack_client().auth_test()
    assert response["team_id"] == "T0CASE0001"
    assert fake_slack.calls_to("auth.test") == [{}]


def test_rate_limit_is_transient_with_retry_after(fake_slack):
    fake_slack.fail("conversations.archive", "ratelimited", status=429, retry_after=3)
    with pytest.raises(TransientDeliveryError) as caught, slack_errors_as_delivery_errors("archive"):
        slack_client().conversations_archive(channel="C0GENERAL1")
    assert caught.value.retry_after == 3.0
    assert "ratelimited" in caught.value.reason


def test_server_errors_are_transient(fake_slack):
    fake_slack.fail("chat.postMessage", "internal_error", status=500)
    with pytest.raises(TransientDeliveryError), slack_errors_as_delivery_errors():
        slack_client().chat_postMessage(channel="C0ISSUES01", text="hi")


def test_refusals_are_permanent_with_the_error_code(fake_slack):
    with pytest.raises(PermanentDeliveryError, match="channel_not_found"), \
            slack_errors_as_delivery_errors("chat.postMessage"):
        slack_client().chat_postMessage(channel="C0NOWHERE1", text="hi")


def test_bad_token_is_permanent_invalid_auth(fake_slack, settings):
    from slack_integration import client

    settings.SLACK_BOT_TOKEN = "xoxb-wrong"
    client._client.cache_clear()
    with pytest.raises(PermanentDeliveryError, match="invalid_auth"), \
            slack_errors_as_delivery_errors():
        slack_client().auth_test()


def test_unreachable_slack_is_transient(settings):
    from slack_integration import client

    settings.SLACK_API_BASE_URL = "http://127.0.0.1:9/api/"
    client._client.cache_clear()
    with pytest.raises(TransientDeliveryError), slack_errors_as_delivery_errors():
        slack_client().auth_test()
    client._client.cache_clear()


def test_fake_keeps_state_like_slack(fake_slack):
    api = slack_client()
    created = api.conversations_create(name="case-api-down-abc")["channel"]
    with pytest.raises(Exception, match="name_taken"):
        api.conversations_create(name="case-api-down-abc")
    api.conversations_invite(channel=created["id"], users="U0ALICE001")
    with pytest.raises(Exception, match="already_in_channel"):
        api.conversations_invite(channel=created["id"], users="U0ALICE001")
    posted = api.chat_postMessage(channel=created["id"], text="hello", blocks=[])
    api.chat_update(channel=created["id"], ts=posted["ts"], text="edited")
    api.conversations_archive(channel=created["id"])
    with pytest.raises(Exception, match="is_archived"):
        api.chat_postMessage(channel=created["id"], text="late")
    assert fake_slack.messages_in(created["id"])[0]["text"] == "edited"


def test_file_upload_v2_needs_a_conversation_id(fake_slack):
    api = slack_client()
    dm = api.conversations_open(users="U0ALICE001")["channel"]["id"]
    api.files_upload_v2(channel=dm, content="a,b\n1,2\n", filename="x.csv", title="x")
    uploaded = next(iter(fake_slack.files.values()))
    assert uploaded["content"] == b"a,b\n1,2\n"
    assert uploaded["channels"] == [dm]
    with pytest.raises(Exception, match="invalid_arguments"):
        api.files_upload_v2(channel="U0ALICE001", content="x", filename="y.csv")
