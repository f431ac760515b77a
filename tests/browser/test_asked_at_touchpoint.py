"""Asked where the touchpoint is, as people meet it: a walk-in scans the QR code on her
phone and answers; a tablet kiosk serves one person after another; a company's own site,
on another origin with a strict CSP of its own, frames the widget and a visitor answers in
it, with no cookie set and no policy broken on either side."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from surveys.asking.public_answers import open_public_link
from surveys.models import Question, QuestionAnswer, Response
from tests.browser.conftest import PHONE
from tests.browser.test_customer_journey import tap_choice
from tests.factories import SurveyFactory, TouchpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}


def a_touchpoint(department, name):
    survey = SurveyFactory(name=f"{name} survey", asks_own_questions=True, asks_csat=False,
                           asks_effort=False)  # fmt: skip
    Question.objects.create(survey=survey, version=1, key="q1", position=1, kind="yes_no",
                            wording={"en": "Were you greeted?"})  # fmt: skip
    touchpoint = TouchpointFactory(name=name, department=department, survey=survey,
                                   surveyed=True)  # fmt: skip
    open_public_link(touchpoint)
    return touchpoint


@contextmanager
def company_site(html: str, policy: str):
    """A plain page on another port, with a content security policy of its own."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_walk_in_answers_by_the_qr_code_on_her_phone(browser_context, department_a):
    showroom = a_touchpoint(department_a, "Showroom")
    phone = browser_context(**PHONE)
    phone.goto(f"/t/{showroom.public_token}?via=qr")
    tap_choice(phone, "expectation", 5)
    tap_choice(phone, "experience", 6)
    phone.locator("#ask-q1 label.choice", has_text="Yes").tap()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Send my answer").tap()
    phone.get_by_role("heading", name="Thank you!").wait_for()
    response = Response.objects.get(touchpoint=showroom)
    assert (response.source, response.experience) == ("qr", 6)
    assert phone.context.cookies() == []


def test_a_kiosk_starts_afresh_for_the_next_person(browser_context, department_a):
    counter = a_touchpoint(department_a, "Trade counter")
    tablet = browser_context(**TABLET)
    for person, score in enumerate((7, 2)):
        if person == 0:
            tablet.goto(f"/t/{counter.public_token}/kiosk")
        form = tablet.locator("form")
        form.wait_for()
        assert tablet.locator("input:checked").count() == 0  # nothing of the last person
        tap_choice(tablet, "expectation", 5)
        tap_choice(tablet, "experience", score)
        tablet.get_by_role("button", name="Send my answer").tap()
        tablet.get_by_role("heading", name="Thank you!").wait_for()
        # The thanks page goes back to the kiosk by itself.
        tablet.wait_for_url(f"**/t/{counter.public_token}/kiosk", timeout=15_000)
        tablet.get_by_role("button", name="Send my answer").wait_for()
    scores = Response.objects.filter(touchpoint=counter).values_list("experience", flat=True)
    assert sorted(scores) == [2, 7]
    assert set(Response.objects.values_list("source", flat=True)) == {"kiosk"}


def test_a_kiosk_left_half_answered_starts_afresh_after_a_minute(browser_context, department_a):
    counter = a_touchpoint(department_a, "Trade counter")
    tablet = browser_context(**TABLET)
    tablet.clock.install()  # the page's own timers, run forward by the test
    tablet.goto(f"/t/{counter.public_token}/kiosk")
    tap_choice(tablet, "expectation", 5)
    tablet.clock.run_for(45_000)
    tap_choice(tablet, "experience", 3)  # a touch within the minute keeps the page
    tablet.clock.run_for(45_000)
    assert tablet.locator("input:checked").count() == 2
    with tablet.expect_navigation():
        tablet.clock.run_for(20_000)  # a minute untouched: the next person's page
    tablet.get_by_role("button", name="Send my answer").wait_for()
    assert tablet.locator("input:checked").count() == 0
    assert not Response.objects.exists()


def test_the_widget_works_on_a_company_site_with_both_policies_intact(
    browser_context, app_server, department_a
):
    website = a_touchpoint(department_a, "Website")
    app = app_server.url.rstrip("/")
    widget = f"{app}/t/{website.public_token}/widget"
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
      <title>Acme Floors</title></head><body><h1>Acme Floors</h1>
      <div data-touchstone-widget="{widget}" data-title="Tell us"></div>
      <script src="{app}/static/widget/touchstone-widget.js" defer></script></body></html>"""
    policy = f"default-src 'none'; script-src {app}; frame-src {app}; img-src 'self'"
    with company_site(html, policy) as site:
        page = browser_context()
        page.goto(site)
        frame = page.frame_locator("iframe[title='Tell us']")
        frame.locator("label.choice:has(input[name=expectation][value='6'])").click()
        frame.locator("label.choice:has(input[name=experience][value='3'])").click()
        frame.locator("#ask-q1 label.choice", has_text="No").click()
        frame.get_by_role("button", name="Send my answer").click()
        frame.get_by_role("heading", name="Thank you!").wait_for()
        height = page.locator("iframe[title='Tell us']").evaluate("f => f.style.height")
        assert height.endswith("px") and height != "640px"  # fitted to its content
    response = Response.objects.get(touchpoint=website)
    assert (response.source, response.experience) == ("widget", 3)
    assert QuestionAnswer.objects.get(response=response).number == 0
    assert page.context.cookies() == []
