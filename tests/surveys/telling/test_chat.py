"""Slack and Teams hooks: each event posted to a real local HTTP server as the message a
channel shows, through the same signed, retried outbox; a customer's words stay words and
an erased comment is never posted."""

import json

import pytest
from django.utils import timezone

from surveys.asking.answers import record_response
from surveys.complaints.services import record_complaint
from surveys.models import ComplaintSource, DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from surveys.privacy import erase_customer
from surveys.telling.chat import message_for
from surveys.telling.webhooks import deliver_due, new_secret, send_test
from tests.factories import InteractionFactory, InvitationFactory, StaffFactory, TouchpointFactory
from tests.receiver import receiver

pytestmark = pytest.mark.django_db

ALL_EVENTS = [event.value for event in WebhookEvent]


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SITE_URL = "https://touchstone.example"


def chat_hook(url, hook_format, events=ALL_EVENTS):
    return Webhook.objects.create(url=url, format=hook_format, events=events, secret=new_secret())


def detractor_answer(comment="Waited <b>40 min</b> & nobody came"):
    staff = StaffFactory(name="Dana Seller")
    touchpoint = TouchpointFactory(name="Showroom consultation", department=staff.department)
    interaction = InteractionFactory(touchpoint=touchpoint, handled_by=staff)
    invitation = InvitationFactory(interaction=interaction)
    answers = {"expectation": 6, "experience": 2, "nps": 2, "csat": 1, "comment": comment}
    return record_response(invitation, answers, "en")


def posted(far_end) -> dict[str, dict]:
    return {headers["X-Touchstone-Event"]: json.loads(body) for headers, body in far_end.requests}


def test_slack_gets_a_readable_message_for_each_event_of_an_answer():
    with receiver() as far_end:
        chat_hook(far_end.url, "slack")
        response = detractor_answer()
        assert deliver_due().delivered == 3
    messages = posted(far_end)
    opened = messages["follow_up.opened"]
    assert opened["text"].startswith("Follow-up opened at Showroom consultation")
    assert "Detractor, assigned to Dana Seller." in opened["text"]
    department = response.touchpoint.department_id
    link = f"<https://touchstone.example/departments/{department}/|Open the scorecard>"
    assert link in opened["blocks"][0]["text"]["text"]
    detractor = messages["response.detractor"]["blocks"][0]["text"]["text"]
    assert detractor.startswith("*Detractor at Showroom consultation*\nNPS 2/10, CSAT 1/5, gap 4.")
    # Slack reads < > & as markup: the customer's words arrive escaped, as words.
    assert "“Waited &lt;b&gt;40 min&lt;/b&gt; &amp; nobody came”" in detractor
    assert "Waited <b>40 min</b> & nobody came" in messages["response.detractor"]["text"]


def test_teams_gets_an_adaptive_card_with_a_link_to_act_on():
    with receiver() as far_end:
        chat_hook(far_end.url, "teams", events=[WebhookEvent.FOLLOW_UP_OPENED])
        detractor_answer()
        deliver_due()
    (message,) = posted(far_end).values()
    assert message["type"] == "message"
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    texts = [block["text"] for block in card["body"]]
    assert texts == [
        "Follow-up opened at Showroom consultation",
        "Detractor, assigned to Dana Seller.",
    ]
    (action,) = card["actions"]
    assert action["type"] == "Action.OpenUrl" and action["title"] == "Open the scorecard"


def test_a_complaint_is_an_event_for_programs_and_channels():
    touchpoint = TouchpointFactory(name="Delivery")
    with receiver() as programs, receiver() as channel:
        Webhook.objects.create(
            url=programs.url, events=[WebhookEvent.COMPLAINT_RECEIVED], secret=new_secret()
        )
        chat_hook(channel.url, "slack", events=[WebhookEvent.COMPLAINT_RECEIVED])
        complaint = record_complaint(
            touchpoint=touchpoint,
            source=ComplaintSource.PHONE,
            text="The sofa came scratched",
            received_at=timezone.now(),
        ).complaint
        assert deliver_due().delivered == 2
    data = posted(programs)["complaint.received"]["data"]
    assert data["complaint"] == complaint.pk and data["text"] == "The sofa came scratched"
    text = posted(channel)["complaint.received"]["text"]
    assert text.startswith(
        "Complaint received at Delivery\nReceived by: Phone.\n“The sofa came scratched”"
    )
    assert f"https://touchstone.example/complaints/{complaint.pk}/" in text


def test_an_erased_comment_is_never_posted_to_a_channel():
    with receiver() as far_end:
        chat_hook(far_end.url, "slack", events=[WebhookEvent.DETRACTOR])
        response = detractor_answer(comment="Call me on 0170 555 123")
        erase_customer(response.invitation.interaction.customer.email)
        deliver_due()
    (message,) = posted(far_end).values()
    assert "0170" not in json.dumps(message)


def test_a_complaints_words_leave_the_webhook_log_when_the_customer_is_erased():
    touchpoint = TouchpointFactory()
    Webhook.objects.create(
        url="https://hooks.example/x", events=[WebhookEvent.COMPLAINT_RECEIVED], secret="s"
    )
    from surveys.asking.intake import CustomerDetails

    record_complaint(
        touchpoint=touchpoint,
        source=ComplaintSource.EMAIL,
        text="My address is 5 Elm Street",
        received_at=timezone.now(),
        customer=CustomerDetails(email="erase.me@example.com"),
    )
    erase_customer("erase.me@example.com")
    (delivery,) = WebhookDelivery.objects.all()
    assert "Elm" not in json.dumps(delivery.payload)


def test_the_test_button_says_hello_in_the_channel_and_a_refusal_is_retried():
    with receiver(statuses=[500]) as far_end:
        hook = chat_hook(far_end.url, "slack")
        send_test(hook)
        assert deliver_due().retrying == 1
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert deliver_due().delivered == 1
    first, second = (json.loads(body) for _, body in far_end.requests)
    assert first == second and first["text"].startswith("Touchstone is connected")
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_cx_manager_chooses_the_format_on_the_page(client_for, cx_manager):
    client = client_for(cx_manager)
    with receiver() as far_end:
        made = client.post(
            "/webhooks/", {"url": far_end.url, "format": "teams", "events": ["complaint.received"]}
        )
    assert made.status_code == 302 and Webhook.objects.get().format == "teams"
    page = client.get("/webhooks/").content.decode()
    assert "Microsoft Teams workflow webhook" in page
    bad = client.post("/webhooks/", {"url": far_end.url, "format": "irc", "events": ["ping"]})
    assert bad.status_code == 400 and {"format", "events"} <= set(bad.context["form"].errors)


def test_a_standard_breach_reads_as_the_share_met_in_its_window():
    touchpoint = TouchpointFactory(name="Hotline")
    data = {
        "touchpoint": touchpoint.pk,
        "window_start": "2026-12-01T00:00:00Z",
        "window_end": "2026-12-07T23:59:59Z",
        "measured": 8,
        "met": 6,
    }
    message = message_for(WebhookEvent.STANDARD_BREACHED, data)
    assert message.title == "Service standard breached at Hotline"
    assert message.lines == ["Met 6 of 8 measured (75%), 2026-12-01 to 2026-12-07."]
    assert message.link[1].startswith("https://touchstone.example/departments/")


def test_an_event_of_a_removed_touchpoint_still_reads_and_links_nowhere():
    message = message_for(WebhookEvent.DETRACTOR, {"touchpoint": 999_999, "nps": 0})
    assert message.title == "Detractor at a removed touchpoint"
    assert message.lines == ["NPS 0/10."] and message.link is None
