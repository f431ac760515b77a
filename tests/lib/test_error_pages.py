"""Error pages in production (DEBUG off): the app's look on staff pages, the survey's look
and the customer's language on survey links, JSON under /api/; never a bare page."""

import pytest
from django.urls import path

from config import urls as app_urls
from tests.clients import ClientByPath

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("boom/", boom),
    path("s/<str:token>/boom", boom),
    path("api/v1/boom/", boom),
    *app_urls.urlpatterns,
]
handler400, handler403 = app_urls.handler400, app_urls.handler403
handler404, handler500 = app_urls.handler404, app_urls.handler500


def styled(page) -> str:
    html = page.content.decode()
    assert "css/touchstone.css" in html and 'class="card narrow error-page"' in html
    return html


def test_a_missing_staff_page_is_styled(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "Page not found" in styled(page)


def test_a_page_outside_the_role_is_a_styled_403_with_the_menu(client_for, head_a):
    page = client_for(head_a).get("/webhooks/")
    html = styled(page)
    assert page.status_code == 403 and "Not for your role" in html
    assert "Log out" in html  # signed in: the menu is still there


def test_a_form_without_its_token_is_a_styled_page_that_says_to_reload(head_a):
    client = ClientByPath(enforce_csrf_checks=True)
    client.force_login(head_a)
    page = client.post("/logout/")
    assert page.status_code == 403 and "Please reload the page" in styled(page)


def test_an_unknown_survey_link_is_a_survey_page_in_the_browsers_language():
    page = ClientByPath().get("/s/" + "x" * 43, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    html = page.content.decode()
    assert page.status_code == 404 and "css/survey.css" in html
    assert "Wir kennen diesen Umfragelink nicht" in html and '<html lang="de">' in html
    assert page["Referrer-Policy"] == "no-referrer"


def test_an_unknown_api_url_is_json(client):
    page = client.get("/api/v1/nothing-here/")
    assert page.status_code == 404 and page.json() == {"detail": "Not found."}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/boom/", "Something went wrong"),
        ("/s/" + "x" * 43 + "/boom", "Etwas ist bei uns schiefgegangen"),
    ],
)
def test_a_server_error_is_styled_in_the_right_language(url, expected):
    client = ClientByPath(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="de")
    page = client.get(url)
    assert page.status_code == 500 and expected in page.content.decode()


@pytest.mark.urls(__name__)
def test_a_server_error_under_the_api_is_json():
    page = ClientByPath(raise_request_exception=False).get("/api/v1/boom/")
    assert page.status_code == 500 and page.json() == {"detail": "Server error."}
