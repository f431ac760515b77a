"""Bad input gets a clear 4xx naming the field or the line, and nothing half-written: the
inputs that once gave a 500."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from journeys.models import Journey
from tests.clients import ClientByPath
from tests.factories import ResponseFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Interaction

pytestmark = pytest.mark.django_db
MOMENT = (timezone.now() - dt.timedelta(hours=1)).isoformat()


@pytest.fixture
def api(cx_manager):
    # As production answers: an unexpected error is a 500 page, not a test failure.
    client = ClientByPath(raise_request_exception=False)
    client.force_login(cx_manager)
    return client


@pytest.fixture
def hotline(department_a):
    return TouchpointFactory(department=department_a, surveyed=True, survey=SurveyFactory())


def item(hotline, **changes):
    return {
        "touchpoint": hotline.pk,
        "customer": {"email": "ann@example.com"},
        "occurred_at": MOMENT,
        "outcome": "resolved",
        **changes,
    }


def post(api, body, url="/api/v1/interactions/"):
    text = body if isinstance(body, str) else json.dumps(body)
    return api.post(url, text, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("null", {"non_field_errors": ["each item must be a JSON object"]}),
        ("5", {"non_field_errors": ["each item must be a JSON object"]}),
        (
            '[1, "a", null]',
            [
                {"index": index, "non_field_errors": ["each item must be a JSON object"]}
                for index in range(3)
            ],
        ),
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/complaints/"])
def test_something_other_than_objects_is_named(api, body, expected, url):
    answer = post(api, body, url)
    assert answer.status_code == 400 and answer.json() == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"wait_seconds": 1e30}, "wait_seconds", "A valid integer is required."),
        ({"wait_seconds": 10**30}, "wait_seconds", "less than or equal to"),
        ({"occurred_at": "0001-01-01T00:00:00Z"}, "occurred_at", "is before 1970"),
    ],
)
def test_values_out_of_any_range_are_named(api, hotline, changes, field, message):
    answer = post(api, item(hotline, **changes))
    assert answer.status_code == 400, answer.content
    assert message in answer.json()[field][0]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_too_deep_is_a_400(api, depth):
    answer = post(api, "[" * depth + "]" * depth)
    assert answer.status_code == 400 and "nested too deep" in answer.json()["detail"]


def test_a_journey_document_nested_too_deep_is_refused_on_the_page(api):
    page = api.post("/journeys/import/", {"text": "[" * 100_000 + "]" * 100_000})
    assert page.status_code == 400 and "nested too deep" in page.content.decode()
    assert not Journey.objects.exists()


def test_a_body_over_the_limit_is_a_json_400(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    answer = post(api, json.dumps([{"padding": "x" * 2_000_000}]))
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("value", "column", "message"),
    [(f"{hotline_wait}", "wait_seconds", "less than or equal to") for hotline_wait in (10**30,)]
    + [("0001-01-01T00:00:00Z", "occurred_at", "is before 1970")],
)
def test_a_bad_csv_line_is_named_and_the_good_ones_are_kept(api, hotline, value, column, message):
    wait, moment = (value, MOMENT) if column == "wait_seconds" else ("1", value)
    text = (
        "touchpoint,customer_email,occurred_at,outcome,wait_seconds\n"
        f"{hotline.pk},good@example.com,{MOMENT},resolved,5\n"
        f"{hotline.pk},bad@example.com,{moment},resolved,{wait}\n"
    )
    page = api.post("/interactions/import/", {"file": SimpleUploadedFile("i.csv", text.encode())})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"line 3: {column}" in html and message in html
    assert list(Interaction.objects.values_list("customer__email", flat=True)) == [
        "good@example.com"
    ]


def test_a_page_number_past_any_page_is_answered(api, hotline, department_a):
    for _ in range(3):
        ResponseFactory(invitation__interaction__touchpoint=hotline, comment="On hold")
    huge = "99999999999999999999"
    assert api.get(f"/departments/{department_a.pk}/", {"page": huge}).status_code == 200
    assert api.get("/complaints/", {"page": huge}).status_code == 200
    assert api.get("/api/v1/responses/", {"page": huge}).status_code == 404
    assert api.get("/api/v1/responses/", {"page": "-1"}).status_code == 404
