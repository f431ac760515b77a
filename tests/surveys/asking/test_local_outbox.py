"""The embedded-mode outbox: the whole loop tried without a mail server."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.asking.intake import CustomerDetails, record_interaction
from surveys.models import Response
from tests.factories import SurveyFactory, TouchpointFactory
from touchpoints.models import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    settings.SITE_URL = "http://testserver"
    return tmp_path


def test_record_send_open_answer(client_for, cx_manager, file_mail):
    touchpoint = TouchpointFactory(
        name="Showroom visit",
        surveyed=True,
        survey=SurveyFactory(),
        survey_delay=dt.timedelta(hours=2),
    )
    for number in range(2):
        record_interaction(
            touchpoint=touchpoint,
            customer=CustomerDetails(email=f"c{number}@example.com"),
            occurred_at=timezone.now(),
            outcome=Outcome.PURCHASED,
        )
    client = client_for(cx_manager)
    client.post("/outbox/", {"action": "due"})
    assert client.get("/outbox/").context["emails"] == []  # still waiting out the delay
    client.post("/outbox/", {"action": "due-now"})
    emails = client.get("/outbox/").context["emails"]
    assert len(emails) == 2 and "Showroom visit" in emails[0]["subject"]
    (link,) = emails[0]["links"]
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert client.post(path, {"csat": "5"}).status_code == 200
    assert Response.objects.get().csat == 5


def test_the_outbox_is_not_there_in_production(client_for, cx_manager, file_mail, settings):
    settings.DEBUG = False
    assert client_for(cx_manager).get("/outbox/").status_code == 404


def test_the_outbox_is_not_there_with_a_mail_server(client_for, cx_manager, settings):
    settings.DEBUG = True
    del settings.EMAIL_FILE_PATH
    assert client_for(cx_manager).get("/outbox/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("head_a", 403), ("no_role_user", 403)])
def test_only_cx_managers_see_the_outbox(request, client_for, file_mail, who, status):
    assert client_for(request.getfixturevalue(who)).get("/outbox/").status_code == status
