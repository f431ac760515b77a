"""Answers at the touchpoint: its public link, QR code, kiosk and widget. A GET records
nothing; an answer lands on the touchpoint with its source, anonymous unless an email comes
with consent; abuse is kept aside and never counted; the CX manager's page opens, renews
and closes the link and prints its code."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.asking.public_answers import open_public_link
from surveys.counting.aggregation import rollups_drain_all
from surveys.models import (
    FollowUp,
    Question,
    QuestionAnswer,
    Response,
    SetAsideAnswer,
    TouchpointDailyScore,
)
from tests.factories import CustomerFactory, SurveyFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

GOOD = {"expectation": "5", "experience": "6", "nps": "9"}
PHONE = "Mozilla/5.0 (iPhone) Safari"


@pytest.fixture
def showroom(department_a):
    survey = SurveyFactory(languages=["en", "de"], asks_own_questions=True)
    Question.objects.create(survey=survey, version=1, key="q1", position=1, kind="yes_no",
                            wording={"en": "Were you greeted?"})  # fmt: skip
    touchpoint = TouchpointFactory(name="Showroom", department=department_a, survey=survey,
                                   surveyed=True)  # fmt: skip
    open_public_link(touchpoint)
    return touchpoint


def post(client, touchpoint, data, path="", agent=PHONE, address="198.51.100.7", **headers):
    return client.post(f"/t/{touchpoint.public_token}{path}", data, HTTP_USER_AGENT=agent,
                       REMOTE_ADDR=address, **headers)  # fmt: skip


def test_the_link_shows_the_survey_and_a_get_records_nothing(client, showroom):
    page = client.get(f"/t/{showroom.public_token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "How was Showroom?" in text and "Were you greeted?" in text
    assert page["Referrer-Policy"] == "no-referrer" and "Set-Cookie" not in page
    assert not Response.objects.exists()
    assert client.get("/t/not-a-link").status_code == 404


def test_an_answer_lands_on_the_touchpoint_with_its_source_and_is_counted(client, showroom):
    answered = post(client, showroom, {**GOOD, "q_q1": "yes"}, path="?via=qr")
    assert answered.status_code == 200 and "Thank you!" in answered.content.decode()
    response = Response.objects.get()
    assert (response.source, response.touchpoint, response.customer) == ("qr", showroom, None)
    assert response.invitation is None
    assert QuestionAnswer.objects.get().number == 1
    rollups_drain_all()
    assert TouchpointDailyScore.objects.get(touchpoint=showroom).responses == 1


def test_contact_needs_consent_and_then_the_person_is_matched(client, showroom):
    known = CustomerFactory(email="Ann@Example.com", name="Ann Known")
    refused = post(client, showroom, {**GOOD, "email": "ann@example.com"})
    assert (
        refused.status_code == 400 and "Tick this if we may contact you" in refused.content.decode()
    )
    assert not Response.objects.exists()
    post(client, showroom, {"nps": "2", "email": "ann@example.com", "consent": "on"})
    response = Response.objects.get()
    assert response.customer == known and response.contact_consent_at is not None
    known.refresh_from_db()
    assert known.name == "Ann Known"  # an untrusted door changes no record
    follow_up = FollowUp.objects.get(response=response)
    assert follow_up.assigned_to is None


def test_abuse_is_kept_aside_thanked_alike_and_never_counted(client, settings, showroom):
    settings.TOUCHSTONE_PUBLIC_ANSWERS_PER_ADDRESS = 2
    thanked = post(client, showroom, {**GOOD, "website": "http://spam.example"})
    assert "Thank you!" in thanked.content.decode()
    post(client, showroom, GOOD, agent="A")
    post(client, showroom, GOOD, agent="A")  # the same browser again
    post(client, showroom, GOOD, agent="B")
    post(client, showroom, GOOD, agent="C")  # a third from one address in the hour
    kept = list(SetAsideAnswer.objects.order_by("pk").values_list("reason", flat=True))
    assert kept == ["honeypot", "duplicate", "address"]
    assert Response.objects.count() == 2
    assert SetAsideAnswer.objects.first().answers["nps"] == 9


def test_a_kiosk_serves_one_person_after_another_up_to_the_daily_cap(client, showroom):
    showroom.public_daily_cap = 2
    showroom.save()
    for _ in range(3):
        page = post(client, showroom, GOOD, path="/kiosk")
        assert '<meta http-equiv="refresh" content="5; url=' in page.content.decode()
    assert Response.objects.filter(source="kiosk").count() == 2
    assert SetAsideAnswer.objects.get().reason == "daily_cap"
    form = client.get(f"/t/{showroom.public_token}/kiosk").content.decode()
    assert 'class="kiosk"' in form and "kiosk.js" in form and 'name="email"' not in form


def test_a_post_from_another_site_is_refused(client, showroom):
    refused = post(client, showroom, GOOD, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403 and not Response.objects.exists()


def test_the_widget_may_be_framed_and_sets_no_cookie(client, showroom):
    page = client.get(f"/t/{showroom.public_token}/widget")
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page and "Set-Cookie" not in page
    assert "widget-frame.js" in page.content.decode()
    post(client, showroom, GOOD, path="/widget")
    assert Response.objects.get().source == "widget"


def test_the_cx_manager_opens_renews_closes_and_prints_the_link(client_for, cx_manager,
                                                                 head_a, department_a):  # fmt: skip
    touchpoint = TouchpointFactory(department=department_a, survey=SurveyFactory())
    client = client_for(cx_manager)
    url = f"/touchpoints/{touchpoint.pk}/public/"
    assert "No public link yet" in client.get(url).content.decode()
    client.post(f"{url}change", {"action": "open"})
    touchpoint.refresh_from_db()
    first = touchpoint.public_token
    page = client.get(url).content.decode()
    assert f"/t/{first}/widget" in page and "data-touchstone-widget" in page
    png = client.get(f"{url}qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(f"{url}qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert "<svg" in client.get(f"{url}card").content.decode()
    client.post(f"{url}change", {"action": "renew"})
    touchpoint.refresh_from_db()
    assert touchpoint.public_token != first
    assert client.get(f"/t/{first}").status_code == 404
    client.post(f"{url}change", {"action": "close"})
    touchpoint.refresh_from_db()
    assert touchpoint.public_token is None
    assert client_for(head_a).get(url).status_code == 403
    assert client_for(head_a).post(f"{url}change", {"action": "open"}).status_code == 403
    touchpoint.refresh_from_db()
    assert touchpoint.public_token is None


def test_erasure_reaches_a_public_answer_and_retention_what_was_kept_aside(client, showroom):
    from surveys.privacy import ERASED_TEXT, erase_customer, purge_expired

    said = {"nps": "3", "comment": "Ann here, rude staff", "email": "ann@example.com"}
    post(client, showroom, {**said, "consent": "on"})
    post(client, showroom, {"nps": "3", "website": "x", "comment": "spam"}, agent="bot")
    erase_customer("ann@example.com")
    assert Response.objects.get().comment == ERASED_TEXT
    purge_expired(1, now=timezone.now() + dt.timedelta(days=2))
    assert not SetAsideAnswer.objects.exists()


def test_the_scorecard_says_how_many_were_kept_aside(client, client_for, head_a, showroom):
    post(client, showroom, {**GOOD, "website": "x"})
    page = client_for(head_a).get(f"/departments/{showroom.department_id}/").content.decode()
    assert "1 public answer (by link, QR code, kiosk or widget) was kept aside" in page
