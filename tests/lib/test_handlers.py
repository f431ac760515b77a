"""Survey links are served by their own middleware stack: the security headers, CSP,
CSRF and request id of every page, without the staff pages' sessions and sign-in."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from lib.handlers import HandlerByPath, SurveyHandler
from surveys.asking import links
from surveys.models import InvitationStatus
from tests.factories import InvitationFactory

SHARED = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


@pytest.fixture
def survey_link(db):
    invitation = InvitationFactory(status=InvitationStatus.SENT, sent_at=timezone.now())
    token = links.issue(invitation)
    invitation.expires_at = timezone.now() + dt.timedelta(days=14)
    invitation.save()
    return f"/s/{token}"


def test_a_survey_link_has_every_security_header_and_no_session_or_user(client, survey_link):
    page = client.get(survey_link)
    assert page.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1) for directive in page["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "no-referrer"
    assert len(page["X-Request-ID"]) >= 8
    assert not page.cookies  # neither a session nor a CSRF cookie: the link is the proof
    assert not hasattr(page.wsgi_request, "session")
    assert not hasattr(page.wsgi_request, "user")


def test_staff_pages_keep_the_whole_stack(client):
    page = client.get("/login/")
    assert page.status_code == 200
    assert hasattr(page.wsgi_request, "session") and hasattr(page.wsgi_request, "user")
    assert page["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in page


def test_the_survey_stack_is_the_staff_one_less_what_only_staff_pages_use():
    assert all(name in settings.SURVEY_MIDDLEWARE for name in SHARED)
    assert not settings.STAFF_ONLY_MIDDLEWARE & set(settings.SURVEY_MIDDLEWARE)
    in_staff_order = [name for name in settings.MIDDLEWARE if name in settings.SURVEY_MIDDLEWARE]
    assert in_staff_order == settings.SURVEY_MIDDLEWARE


def test_building_the_survey_handler_leaves_the_settings_as_they_were():
    before = list(settings.MIDDLEWARE)
    SurveyHandler()
    assert before == settings.MIDDLEWARE


@pytest.mark.parametrize(
    ("path", "stack"),
    [("/s/abc", "survey"), ("/s/abc/unsubscribe", "survey"), ("/s", "staff"),
     ("/static/x.css", "staff"), ("/login/", "staff"), ("/sx/", "staff")],
)  # fmt: skip
def test_only_survey_links_take_the_survey_stack(path, stack):
    by_path = HandlerByPath(staff=lambda environ: "staff", survey=lambda environ: "survey")
    assert by_path({"PATH_INFO": path}) == stack


def test_the_served_application_is_the_one_by_path():
    from config.wsgi import application

    assert isinstance(application, HandlerByPath)
    assert isinstance(application.survey, SurveyHandler)


def test_the_served_application_is_loaded_warm():
    """What a worker's first answer would load is loaded before gunicorn forks: the Celery
    app's tasks and every project template, compiled."""
    from django.template import engines

    from config.celery_app import app
    from config.wsgi import warm_up

    warm_up()
    assert app.finalized
    compiled = engines["django"].engine.template_loaders[0].get_template_cache
    for name in ("base.html", "surveys/public/answer.html", "surveys/email/invitation.txt"):
        assert name in compiled
