"""Closing the loop as people meet it: a customer answers as a detractor on a phone, the
salesperson who served them gets the email, signs in, logs the call and resolves it on
her phone, and the head sees it closed in time; without JavaScript too."""

import re

import pytest

from tests.browser.conftest import PHONE, log_in, open_context
from tests.browser.test_customer_journey import (
    LINK,
    answer_on_a_phone,
    invitation_to,
    record_interaction,
)
from tests.factories import (
    FollowUpFactory,
    StaffFactory,
    SurveyFactory,
    TouchpointFactory,
    UserFactory,
)
from tests.smtp import body_of
from tests.worker import wait_until
from touchpoints.api_tokens import make_token
from touchpoints.models import TokenScope

pytestmark = pytest.mark.django_db(transaction=True)

FOLLOW_UP_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/follow-ups/\d+/)")
TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def showroom(department_a):
    return TouchpointFactory(
        name="Showroom", department=department_a, surveyed=True, survey=SurveyFactory()
    )


@pytest.fixture
def mia(department_a):
    user = UserFactory(username="mia", email="mia@example.com", first_name="Mia")
    return StaffFactory(
        name="Mia Rossi", email="mia@example.com", department=department_a, user=user
    )


def _copied_to(mailbox, address):
    return [m for m in mailbox.messages if address in (m["Cc"] or "")]


def test_a_detractor_is_called_back_by_her_salesperson_and_the_head_sees_it_in_time(
    browser_context, mailbox, showroom, mia, head_a, cx_manager, tmp_path
):
    head_a.email = "head@example.com"
    head_a.save()
    key = make_token(cx_manager, "Tills", TokenScope.INTEGRATION)[1]
    customer = browser_context(**PHONE)
    record_interaction(customer, key, showroom, "ann@example.com", handled_by=mia.email)
    path = LINK.search(body_of(invitation_to(mailbox, "ann@example.com"))).group(1)
    answer_on_a_phone(customer, path, "The sofa came scratched and nobody called.")
    customer.get_by_role("heading", name="Thank you!").wait_for()

    # The heads are told, and Mia, who sold the sofa, is copied.
    (email,) = wait_until(lambda: _copied_to(mailbox, "mia@example.com"), timeout=20)
    assert "head@example.com" in email["To"]
    follow_up_path = FOLLOW_UP_LINK.search(body_of(email)).group(1)

    phone = browser_context(**PHONE)
    log_in(phone, "mia")
    assert phone.url.endswith("/my-work/")
    phone.screenshot(path=tmp_path / "my-work-phone.png", full_page=True)
    phone.goto(follow_up_path)
    main = phone.locator("main")
    assert "nobody called" in main.inner_text()
    assert "ann@example.com" in main.inner_text()
    phone.screenshot(path=tmp_path / "follow-up-phone.png", full_page=True)
    ids = phone.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "two fields of the page's forms share an id"
    phone.select_option("#contact-channel", "phone")
    phone.locator("label", has_text="Reached").tap()
    phone.fill("#contact-note", "Apologised; a new sofa on Friday.")
    phone.get_by_role("button", name="Log contact").tap()
    phone.get_by_text("Contact logged.").wait_for()
    phone.locator("#resolve-note").fill("Replaced the sofa.")
    phone.get_by_role("button", name="Resolve").tap()
    phone.get_by_text("Resolved.", exact=True).wait_for()
    history = phone.locator(".history").inner_text()
    assert "Phone: reached" in history and "Replaced the sofa." in history

    desk = browser_context(**TABLET)
    log_in(desk, head_a.username)
    desk.goto("/follow-ups/?show=done")
    row = desk.locator("tr", has_text="Ann Example")
    assert "in time" in row.inner_text() and "Mia Rossi" in row.inner_text()
    desk.screenshot(path=tmp_path / "board-tablet.png", full_page=True)


def test_the_follow_up_is_worked_without_javascript(chromium, app_server, showroom, mia, tmp_path):
    follow_up = FollowUpFactory(
        response__invitation__interaction__touchpoint=showroom,
        response__invitation__interaction__handled_by=mia,
        assigned_to=mia,
    )
    context = open_context(chromium, app_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "mia")
    page.goto(f"/follow-ups/{follow_up.pk}/")
    page.select_option("#contact-channel", "email")
    page.locator("label", has_text="Left a message").click()
    page.get_by_role("button", name="Log contact").click()
    page.get_by_text("Contact logged.").wait_for()
    page.screenshot(path=tmp_path / "no-script.png", full_page=True)
    context.close()
    follow_up.refresh_from_db()
    assert follow_up.first_contact_at is not None
