"""The first question inside the email, as a customer meets it: she taps a number in the
invitation on her phone, the survey opens with it chosen, and only her own send records
the answer (the tap, like a mail scanner's visit, records nothing)."""

import re

import pytest

from surveys.models import InvitationStatus, Response
from tests.browser.conftest import PHONE
from tests.browser.test_customer_journey import invitation_to, record_interaction, tap_choice
from tests.factories import SurveyFactory, TouchpointFactory
from tests.smtp import body_of
from touchpoints.api_tokens import make_token
from touchpoints.models import TokenScope

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_number_tapped_in_the_email_is_chosen_and_sent_only_by_her(
    browser_context, mailbox, cx_manager, department_a
):
    desk = TouchpointFactory(name="Service desk", department=department_a, surveyed=True,
                             survey=SurveyFactory())  # fmt: skip
    phone = browser_context(**PHONE)
    key = make_token(cx_manager, "Tills", TokenScope.INTEGRATION)[1]
    record_interaction(phone, key, desk, "zoe@example.com")
    html = body_of(invitation_to(mailbox, "zoe@example.com"), "html")
    assert "Before it happened, how good did you expect it to be?" in html
    tapped = re.search(r'href="http://127\.0\.0\.1:\d+(/s/[\w-]+\?expectation=6)"', html).group(1)
    phone.goto(tapped)
    assert phone.locator("input[name=expectation][value='6']").is_checked()
    assert not Response.objects.exists()
    tap_choice(phone, "experience", 4)
    phone.get_by_role("button", name="Send my answer").tap()
    phone.get_by_role("heading", name="Thank you!").wait_for()
    response = Response.objects.get()
    assert (response.expectation, response.experience) == (6, 4)
    assert response.invitation.status == InvitationStatus.ANSWERED
