"""The customer's journey as a person meets it: an interaction comes in through the API,
the invitation arrives by email, the customer opens its link on a phone, answers with
taps, in English and in German, finds the link used up, opts out from the email, and
the answers are counted on the board and on the scorecard."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from journeys.editing import add_stage, place_touchpoint
from tests.browser.conftest import PHONE, log_in
from tests.factories import JourneyFactory, SurveyFactory, TouchpointFactory
from tests.smtp import body_of
from tests.worker import wait_until
from touchpoints.api_tokens import make_token
from touchpoints.models import Customer, TokenScope

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/s/[A-Za-z0-9_-]{43})\b")


@pytest.fixture
def hotline(department_a):
    touchpoint = TouchpointFactory(
        name="Service hotline",
        department=department_a,
        surveyed=True,
        survey=SurveyFactory(languages=["en", "de"]),
    )
    journey = JourneyFactory(name="Buying a floor")
    place_touchpoint(add_stage(journey, "Service"), touchpoint.pk)
    touchpoint.journey = journey
    return touchpoint


@pytest.fixture
def integration_key(cx_manager):
    return make_token(cx_manager, "Shop till", TokenScope.INTEGRATION)[1]


def record_interaction(page, key, touchpoint, email, language="en", number=1, **fields):
    """What a shop till does: POST the interaction to the API with its token."""
    response = page.request.post(
        "/api/v1/interactions/",
        headers={"Authorization": f"Token {key}"},
        data={
            "external_id": f"CALL-{number}",
            "touchpoint": touchpoint.pk,
            "customer": {"email": email, "name": "Ann Example", "language": language},
            "occurred_at": (timezone.now() - dt.timedelta(minutes=10)).isoformat(),
            "outcome": "resolved",
            **fields,
        },
    )
    assert response.status == 201, response.text()


def invitation_to(mailbox, email):
    messages = wait_until(lambda: mailbox.to(email), message=f"no email to {email}")
    return messages[0]


def tap_choice(page, name, value):
    page.locator(f"label.choice:has(input[name={name}][value='{value}'])").tap()


def answer_on_a_phone(page, path, comment):
    page.goto(path)
    for name, value in (("expectation", 6), ("experience", 3), ("csat", 2), ("nps", 4)):
        tap_choice(page, name, value)
    tap_choice(page, "effort", 5)
    page.locator("textarea").fill(comment)
    page.get_by_role("button").last.tap()


def test_a_customer_answers_on_a_phone_in_english_and_is_counted(
    browser_context, mailbox, hotline, integration_key, cx_manager, head_a
):
    phone = browser_context(**PHONE, locale="en-GB")
    record_interaction(phone, integration_key, hotline, "ann@example.com")
    message = invitation_to(mailbox, "ann@example.com")
    assert "Service hotline" in message["Subject"]
    path = LINK.search(body_of(message)).group(1)

    answer_on_a_phone(phone, path, "Kept on hold, then cut off.")
    phone.get_by_role("heading", name="Thank you!").wait_for()
    assert phone.evaluate("document.documentElement.lang") == "en"

    with phone.watched.expecting(409):
        assert phone.goto(path).status == 409
    phone.get_by_role("heading", name="Already answered").wait_for()

    # RFC 8058 one-click opt-out, as the mail provider sends it from the email's header.
    unsubscribe = message["List-Unsubscribe"].strip("<> ")
    opted = phone.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert opted.status == 200
    assert Customer.objects.get(email="ann@example.com").opted_out_at is not None

    desk = browser_context()
    log_in(desk, cx_manager.username)

    def shown(url, text):
        desk.goto(url)
        return text in desk.locator("main").inner_text()

    # Counted by the aggregation (eagerly in gunicorn, or by the worker a moment later).
    wait_until(lambda: shown(f"/journeys/{hotline.journey.pk}/", "n 1"), timeout=20)
    desk.context.clear_cookies()
    log_in(desk, head_a.username)
    desk.wait_for_url("**/departments/**")  # a head lands on their scorecard
    row = desk.locator("tr", has_text="Service hotline").first
    assert row.locator("td").nth(2).inner_text().strip() == "1"


def test_a_german_customer_answers_in_german_and_opts_out_on_the_page(
    browser_context, mailbox, hotline, integration_key
):
    phone = browser_context(**PHONE, locale="de-DE")
    record_interaction(phone, integration_key, hotline, "jonas@example.de", language="de")
    message = invitation_to(mailbox, "jonas@example.de")
    text = body_of(message)
    assert "Guten Tag Ann Example" in text
    path = LINK.search(text).group(1)

    answer_on_a_phone(phone, path, "Freundlich, aber zu lange gewartet.")
    phone.get_by_role("heading", name="Vielen Dank!").wait_for()
    assert phone.evaluate("document.documentElement.lang") == "de"

    with phone.watched.expecting(409):
        phone.goto(path)
    phone.get_by_role("heading", name="Bereits beantwortet").wait_for()

    # The opt-out link at the foot of the email, pressed on the phone.
    phone.goto(re.search(r"http://127\.0\.0\.1:\d+(/s/\S+/unsubscribe)", text).group(1))
    phone.get_by_role("button", name="Umfrage-E-Mails abbestellen").tap()
    phone.get_by_role("heading").first.wait_for()
    assert Customer.objects.get(email="jonas@example.de").opted_out_at is not None


def test_a_customer_without_javascript_answers_too(
    browser_context, mailbox, hotline, integration_key
):
    phone = browser_context(**PHONE, java_script_enabled=False)
    record_interaction(phone, integration_key, hotline, "noscript@example.com")
    path = LINK.search(body_of(invitation_to(mailbox, "noscript@example.com"))).group(1)
    answer_on_a_phone(phone, path, "Fine.")
    phone.get_by_role("heading", name="Thank you!").wait_for()
    # A half-filled form comes back with the message beside its question.
    record_interaction(phone, integration_key, hotline, "second@example.com", number=2)
    path = LINK.search(body_of(invitation_to(mailbox, "second@example.com"))).group(1)
    phone.goto(path)
    tap_choice(phone, "expectation", 6)
    with phone.watched.expecting(400):
        phone.get_by_role("button").last.tap()
        phone.locator("fieldset.invalid .error").first.wait_for()
    assert phone.locator("input[name=expectation][value='6']").is_checked()
