"""No shared cache keeps personal data: staff pages, API replies and CSV exports are
private and not stored; static files and survey pages keep their own rules."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/journeys/", "/complaints/", "/api/v1/customers/", "/dashboards/priorities/?export=csv"],
)
def test_pages_api_and_exports_of_personal_data_are_not_stored(client_for, cx_manager, path):
    response = client_for(cx_manager).get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def not_stored(response) -> bool:
    policy = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= policy


def test_the_login_page_errors_and_survey_pages_are_not_stored_either(client):
    assert not_stored(client.get("/login/"))  # Django's never_cache, which says more
    assert not_stored(client.get("/no-such-page/"))
    assert not_stored(client.get("/s/" + "x" * 43))
