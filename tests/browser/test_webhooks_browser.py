"""A CX manager connects a Slack channel in the browser: adds the hook with its format,
sends a test, and the channel's address receives a readable message."""

import json

import pytest

from tests.browser.conftest import log_in
from tests.receiver import receiver
from tests.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cx_manager_connects_a_slack_channel_and_sends_a_test(page, cx_manager):
    log_in(page, cx_manager.username)
    with receiver() as channel:
        page.goto("/webhooks/")
        page.fill("#id_url", channel.url)
        page.select_option("#id_format", label="Slack incoming webhook")
        page.fill("#id_description", "#cx-alerts")
        page.check("text=Follow-up opened")
        page.click("text=Add webhook")
        page.wait_for_selector("text=Format: Slack incoming webhook")
        page.click("text=Send a test")
        wait_until(lambda: channel.requests, message="the channel received nothing")
        headers, body = channel.requests[0]
    message = json.loads(body)
    assert message["text"].startswith("Touchstone is connected")
    assert message["blocks"][0]["type"] == "section"
    assert headers["X-Touchstone-Event"] == "ping"
    page.reload()
    assert page.locator("td", has_text="Delivered").count() == 1
