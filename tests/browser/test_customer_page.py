"""The customer page as people meet it: a CX manager finds a customer by email on a phone
and reads their timeline; an admin erases them, after typing their email."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import PHONE, log_in
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    ResponseFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ada(department_a):
    ada = CustomerFactory(email="ada@example.com", name="Ada Lovelace", external_ref="C-1")
    showroom = TouchpointFactory(name="Showroom", department=department_a)
    ResponseFactory(
        invitation__interaction__customer=ada,
        invitation__interaction__touchpoint=showroom,
        submitted_at=timezone.now() - dt.timedelta(days=2),
        nps=3,
        comment="Nobody <b>greeted</b> me.",
    )
    ComplaintFactory(customer=ada, touchpoint=showroom, text="The sample was the wrong oak.")
    return ada


def test_a_cx_manager_finds_a_customer_and_reads_her_timeline_on_a_phone(
    browser_context, cx_manager, ada
):
    page = browser_context(**PHONE)
    log_in(page, cx_manager.username)
    page.goto("/customers/")
    page.get_by_label("Email, reference or name").fill("ADA@example.com")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(f"**/customers/{ada.pk}/")
    timeline = page.locator("ol.timeline")
    assert timeline.locator("li").count() == 3  # the visit, the answer, the complaint
    assert "Nobody <b>greeted</b> me." in timeline.inner_text()  # shown, not run
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_admin_erases_a_customer_after_typing_her_email(browser_context, admin_user, ada):
    page = browser_context()
    log_in(page, admin_user.username)
    page.goto(f"/customers/{ada.pk}/")
    field = page.get_by_label("Type the customer's email to confirm")
    field.fill("someone@else.com")
    with page.watched.expecting(400):
        page.get_by_role("button", name="Erase").click()
        assert page.get_by_text("This is not the customer's email.").is_visible()
    page.get_by_label("Type the customer's email to confirm").fill("ada@example.com")
    page.get_by_role("button", name="Erase").click()
    assert page.get_by_text("This customer was erased").is_visible()
    assert "Ada Lovelace" not in page.content()
    assert "wrong oak" not in page.locator("ol.timeline").inner_text()
