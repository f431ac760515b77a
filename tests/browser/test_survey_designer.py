"""Designing a survey as people do: a CX manager adds her own questions and a branch in
the browser, previews them on a phone, assigns the survey to a touchpoint, and a customer
answers it by the email link on her phone, the branch opening as she answers."""

import pytest

from surveys.models import QuestionAnswer, Survey
from tests.browser.conftest import PHONE, log_in
from tests.browser.test_customer_journey import (
    LINK,
    invitation_to,
    record_interaction,
    tap_choice,
)
from tests.factories import TouchpointFactory
from tests.smtp import body_of
from touchpoints.api_tokens import make_token
from touchpoints.models import TokenScope

pytestmark = pytest.mark.django_db(transaction=True)


def fill_question(page, number, **fields):
    block = page.locator(f"#question-{number}")
    block.get_by_label("Kind").select_option(label=fields.pop("kind"))
    for label, value in fields.items():
        field = block.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.check()
        else:
            field.fill(value)


def test_a_survey_designed_in_the_browser_is_answered_on_a_phone(
    browser_context, mailbox, cx_manager, department_a
):
    installer = TouchpointFactory(name="Installer visit", department=department_a)
    page = browser_context()
    log_in(page, cx_manager.username)
    page.goto("/surveys/")
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Name").fill("Installation")
    page.get_by_label("Deutsch").check()
    fill_question(page, 1, kind="Yes or no", **{"Required": True,
                  "Question (English)": "Was the installer on time?"})  # fmt: skip
    page.get_by_role("button", name="Save the survey").click()
    page.get_by_text("Survey “Installation” saved.").wait_for()
    # The second question, shown only when the experience was poor.
    fill_question(
        page, 2, kind="Single choice",
        **{"Question (English)": "What went wrong?", "Question (Deutsch)": "Was lief schief?",
           "Options (English), one a line": "Late\nMessy\nRude"},
    )  # fmt: skip
    assert page.locator("#question-2").get_by_label("Points on the scale").is_hidden()
    page.locator("#question-2").get_by_text("Show it only after some answers").click()
    fill_question(page, 2, kind="Single choice", **{"Show only if the answer to": "experience",
                  "…": "lte", "this value": "3"})  # fmt: skip
    page.get_by_role("button", name="Save the survey").click()
    page.get_by_text("Survey “Installation” saved.").wait_for()
    survey = Survey.objects.get(name="Installation")
    assert [q.key for q in survey.current_questions()] == ["q1", "q2"]

    page.get_by_role("link", name="Preview on a phone").click()
    preview = page.frame_locator("iframe.phone-preview")
    what_wrong = preview.locator("#ask-q2")
    preview.locator("label.choice:has(input[name=experience][value='6'])").click()
    assert what_wrong.is_hidden()
    preview.locator("label.choice:has(input[name=experience][value='2'])").click()
    assert what_wrong.is_visible()

    page.goto(f"/touchpoints/{installer.pk}/edit/")
    page.locator("#id_survey").select_option(label="Installation")
    page.locator("#id_surveyed").check()
    page.get_by_role("button", name="Save").click()

    phone = browser_context(**PHONE)
    key = make_token(cx_manager, "Tills", TokenScope.INTEGRATION)[1]
    record_interaction(phone, key, installer, "eve@example.com")
    path = LINK.search(body_of(invitation_to(mailbox, "eve@example.com"))).group(1)
    phone.goto(path)
    assert phone.locator("#ask-q2").is_hidden()
    tap_choice(phone, "expectation", 6)
    tap_choice(phone, "experience", 2)
    phone.locator("#ask-q2 label.choice", has_text="Messy").tap()
    phone.locator("#ask-q1 label.choice", has_text="No").tap()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Send my answer").tap()
    phone.get_by_role("heading", name="Thank you!").wait_for()
    answers = {(a.question.key, a.option and a.option.wording["en"], a.number)
               for a in QuestionAnswer.objects.select_related("question", "option")}  # fmt: skip
    assert answers == {("q1", None, 0), ("q2", "Messy", None)}
