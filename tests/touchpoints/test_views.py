"""The touchpoints page: the company's touchpoints in one table, filtered; CX managers edit."""

import json

import pytest

from journeys.editing import add_stage, place_touchpoint
from tests.factories import JourneyFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Audience, Channel, Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoints(department_a, department_b):
    hotline = TouchpointFactory(
        name="Hotline", channel=Channel.PHONE, department=department_a, target_wait_seconds=120
    )
    website = TouchpointFactory(name="Website", channel=Channel.WEB, department=department_b)
    stage = add_stage(JourneyFactory(name="Buying a floor"), "Discover")
    place_touchpoint(stage, hotline.pk)
    return hotline, website


def names(page):
    return [touchpoint.name for touchpoint, _journeys in page.context["rows"]]


def test_the_table_shows_channel_department_standards_and_journeys(
    client_for, cx_manager, touchpoints
):
    page = client_for(cx_manager).get("/touchpoints/")
    assert names(page) == ["Hotline", "Website"]
    html = page.content.decode()
    assert "Wait ≤ 2 min" in html and "Buying a floor" in html and "Not on a map" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hot"}, ["Hotline"]),
        ({"q": "sales"}, ["Website"]),  # by department name
        ({"channel": "web"}, ["Website"]),
        ({"standards": "yes"}, ["Hotline"]),
        ({"standards": "no"}, ["Website"]),
        ({"audience": "employee"}, []),
    ],
)
def test_filters(client_for, cx_manager, touchpoints, query, expected):
    assert names(client_for(cx_manager).get("/touchpoints/", query)) == expected


def test_the_journey_filter(client_for, cx_manager, touchpoints):
    journey = touchpoints[0].steps.get().stage.journey
    assert names(client_for(cx_manager).get("/touchpoints/", {"journey": journey.pk})) == [
        "Hotline"
    ]


def test_a_head_sees_only_their_departments_touchpoints_read_only(client_for, head_a, touchpoints):
    page = client_for(head_a).get("/touchpoints/")
    assert names(page) == ["Hotline"]
    assert "New touchpoint" not in page.content.decode() and "/edit/" not in page.content.decode()


def form_data(touchpoint, **changes):
    data = {
        "name": touchpoint.name,
        "channel": touchpoint.channel,
        "department": touchpoint.department_id,
        "audience": touchpoint.audience,
        "effort_estimate": 3,
        "survey_cap_days": 30,
    }
    return {**data, **changes}


def test_editing_sets_targets_in_minutes_and_returns_to_the_list(
    client_for, cx_manager, touchpoints
):
    hotline, _ = touchpoints
    page = client_for(cx_manager).post(
        f"/touchpoints/{hotline.pk}/edit/",
        form_data(
            hotline,
            target_wait_minutes="1.5",
            target_resolution_minutes="10",
            next="/touchpoints/?q=hot",
        ),
    )
    assert page.status_code == 302 and page["Location"] == "/touchpoints/?q=hot"
    hotline.refresh_from_db()
    assert (hotline.target_wait_seconds, hotline.target_resolution_seconds) == (90, 600)
    assert hotline.standards == ["Wait ≤ 1.5 min", "Resolution ≤ 10 min"]


def test_an_offsite_next_is_ignored(client_for, cx_manager, touchpoints):
    hotline, _ = touchpoints
    page = client_for(cx_manager).post(
        f"/touchpoints/{hotline.pk}/edit/", form_data(hotline, next="https://evil.example/")
    )
    assert page["Location"] == "/touchpoints/"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"surveyed": "on"}, "survey", "Pick the survey to send"),
        ({"name": "website", "department": None}, "name", "already has a touchpoint named"),
        (
            {"target_first_contact_resolution": "140"},
            "target_first_contact_resolution",
            "less than or equal to 100",
        ),
        ({"target_wait_minutes": "-1"}, "target_wait_minutes", "greater than or equal to 0"),
        ({"effort_estimate": "9"}, "effort_estimate", "less than or equal to 5"),
        ({"channel": "fax"}, "channel", "not one of the available choices"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client_for, cx_manager, touchpoints, changes, field, message
):
    hotline, website = touchpoints
    if changes.get("department", 0) is None:
        changes["department"] = website.department_id
    page = client_for(cx_manager).post(
        f"/touchpoints/{hotline.pk}/edit/", form_data(hotline, **changes)
    )
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    hotline.refresh_from_db()
    assert hotline.name == "Hotline" and hotline.target_wait_seconds == 120


def test_only_employee_touchpoints_support_customer_ones(
    client_for, cx_manager, touchpoints, department_a
):
    hotline, website = touchpoints
    client = client_for(cx_manager)
    page = client.post(
        f"/touchpoints/{website.pk}/edit/", form_data(website, supports=[hotline.pk])
    )
    assert "Only an employee-side touchpoint" in page.context["form"].errors["supports"][0]
    created = client.post(
        "/touchpoints/new/",
        {
            **form_data(website, name="Work order system", department=department_a.pk),
            "audience": Audience.EMPLOYEE,
            "supports": [hotline.pk],
        },
    )
    assert created.status_code == 302
    assert list(Touchpoint.objects.get(name="Work order system").supports.all()) == [hotline]


def test_a_surveyed_touchpoint_with_its_survey_is_saved(client_for, cx_manager, touchpoints):
    hotline, _ = touchpoints
    survey = SurveyFactory()
    client_for(cx_manager).post(
        f"/touchpoints/{hotline.pk}/edit/",
        form_data(hotline, surveyed="on", survey=survey.pk, survey_delay="02:00:00"),
    )
    hotline.refresh_from_db()
    assert hotline.surveyed and hotline.survey == survey and hotline.survey_delay.seconds == 7200


def test_from_the_card_panel_the_form_is_swapped_and_the_board_redrawn(
    client_for, cx_manager, touchpoints
):
    hotline, _ = touchpoints
    client = client_for(cx_manager)
    saved = client.post(
        f"/touchpoints/{hotline.pk}/edit/",
        form_data(hotline, name="Service hotline"),
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and json.loads(saved["HX-Trigger"]) == {"board-changed": {}}
    assert "Saved." in saved.content.decode() and "<html" not in saved.content.decode()
    rejected = client.post(
        f"/touchpoints/{hotline.pk}/edit/", form_data(hotline, name=""), HTTP_HX_REQUEST="true"
    )
    assert rejected.status_code == 400 and "HX-Trigger" not in rejected
    assert 'hx-post="/touchpoints/' in rejected.content.decode()
