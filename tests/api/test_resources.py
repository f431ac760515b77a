"""What the API's resources do for a CX manager: nested maps, positions kept in order,
scores from the rollups with their filters, follow-ups worked, clear errors."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.counting.aggregation import rollups_rebuild_all
from tests.factories import (
    CustomerFactory,
    FollowUpFactory,
    JourneyFactory,
    ResponseFactory,
    StaffFactory,
    StageFactory,
    StepFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, cx_manager):
    return client_for(cx_manager)


def post(api, url, body):
    return api.post(url, body, content_type="application/json")


def patch(api, url, body):
    return api.patch(url, body, content_type="application/json")


def test_a_journey_reads_with_its_stages_and_placed_touchpoints(api):
    journey = JourneyFactory(name="Buying")
    first, second = (
        StageFactory(journey=journey, position=0),
        StageFactory(journey=journey, position=1),
    )
    hotline = TouchpointFactory(name="Hotline")
    StepFactory(stage=second, touchpoint=hotline, position=0)
    body = api.get(f"/api/v1/journeys/{journey.pk}/").json()
    assert [s["id"] for s in body["stages"]] == [first.pk, second.pk]
    assert body["stages"][1]["steps"][0]["touchpoint_name"] == "Hotline"


def test_stages_and_steps_keep_their_order_through_the_api(api):
    journey = JourneyFactory()
    first = post(api, "/api/v1/stages/", {"journey": journey.pk, "name": "Aware"}).json()
    second = post(api, "/api/v1/stages/", {"journey": journey.pk, "name": "Buy"}).json()
    front = post(api, "/api/v1/stages/", {"journey": journey.pk, "name": "Need", "position": 0})
    assert front.status_code == 201 and front.json()["position"] == 0
    names = [s["name"] for s in api.get(f"/api/v1/journeys/{journey.pk}/").json()["stages"]]
    assert names == ["Need", "Aware", "Buy"]
    hotline, shop = TouchpointFactory(), TouchpointFactory()
    step = post(api, "/api/v1/steps/", {"stage": first["id"], "touchpoint": hotline.pk}).json()
    post(api, "/api/v1/steps/", {"stage": first["id"], "touchpoint": shop.pk, "position": 0})
    again = post(api, "/api/v1/steps/", {"stage": first["id"], "touchpoint": hotline.pk})
    assert again.status_code == 400 and "already" in again.json()["stage"][0]
    moved = patch(api, f"/api/v1/steps/{step['id']}/", {"stage": second["id"]})
    assert moved.status_code == 200 and moved.json()["stage"] == second["id"]
    assert api.delete(f"/api/v1/stages/{front.json()['id']}/").status_code == 204
    stages = api.get(f"/api/v1/journeys/{journey.pk}/").json()["stages"]
    assert [(s["name"], s["position"]) for s in stages] == [("Aware", 0), ("Buy", 1)]
    assert [st["position"] for st in stages[0]["steps"]] == [0]


def test_scores_come_from_the_rollups_by_level_with_filters(api, department_a):
    hotline = TouchpointFactory(department=department_a, name="Hotline", channel="phone")
    shop = TouchpointFactory(department=department_a, name="Shop", channel="in_person")
    contractor = CustomerFactory(segment="Contractor")
    for touchpoint, gaps in ((hotline, [(7, 2), (6, 3)]), (shop, [(5, 5)])):
        for expectation, experience in gaps:
            ResponseFactory(
                invitation__interaction__touchpoint=touchpoint,
                invitation__interaction__customer=contractor,
                expectation=expectation,
                experience=experience,
            )
    ResponseFactory(invitation__interaction__touchpoint=shop, expectation=4, experience=6)
    rollups_rebuild_all()
    rows = {r["name"]: r for r in api.get("/api/v1/scores/").json()}
    assert rows["Hotline"]["gap"] == pytest.approx(4.0) and rows["Hotline"]["gap_answered"] == 2
    assert rows["Shop"]["gap"] == pytest.approx(-1.0)
    department = api.get("/api/v1/scores/", {"level": "department"}).json()
    assert department[0]["gap_answered"] == 4 and department[0]["gap"] == pytest.approx(1.5)
    phone = api.get("/api/v1/scores/", {"channel": "phone"}).json()
    assert [r["name"] for r in phone] == ["Hotline"]
    contractors = {
        r["name"]: r for r in api.get("/api/v1/scores/", {"segment": "Contractor"}).json()
    }
    assert contractors["Shop"]["gap_answered"] == 1 and contractors["Shop"]["gap"] == 0
    journey = JourneyFactory()
    stage = StageFactory(journey=journey)
    StepFactory(stage=stage, touchpoint=hotline)
    by_stage = api.get("/api/v1/scores/", {"level": "stage", "journey": journey.pk}).json()
    assert [(r["id"], r["gap_answered"]) for r in by_stage] == [(stage.pk, 2)]
    by_journey = api.get("/api/v1/scores/", {"level": "journey"}).json()
    assert [(r["id"], r["touchpoints"]) for r in by_journey] == [(journey.pk, 1)]
    long_ago = api.get("/api/v1/scores/", {"since": "2020-01-01", "until": "2020-01-31"}).json()
    assert all(r["gap_answered"] == 0 and r["gap"] is None for r in long_ago)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "planet"}, "level"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "since"),
        ({"channel": "fax"}, "channel"),
        ({"journey": "x"}, "journey"),
    ],
)
def test_a_bad_scores_query_names_its_field(api, query, field):
    response = api.get("/api/v1/scores/", query)
    assert response.status_code == 400 and field in response.json()


def test_a_follow_up_is_worked_and_assigned_within_its_department(api, department_a, department_b):
    follow_up = FollowUpFactory(
        response__invitation__interaction__touchpoint=TouchpointFactory(department=department_a)
    )
    url = f"/api/v1/follow-ups/{follow_up.pk}/"
    outsider = StaffFactory(department=department_b)
    refused = patch(api, url, {"assigned_to": outsider.pk})
    assert refused.status_code == 400 and "assigned_to" in refused.json()
    insider = StaffFactory(department=department_a)
    done = patch(api, url, {"assigned_to": insider.pk, "status": "done", "notes": "Called back"})
    assert done.status_code == 200 and done.json()["closed_at"]
    reopened = patch(api, url, {"status": "open"}).json()
    assert reopened["closed_at"] is None and reopened["assigned_to"] == insider.pk


def test_bad_writes_name_their_field_and_write_nothing(api, department_a):
    before = api.get("/api/v1/touchpoints/").json()["count"]
    missing = post(api, "/api/v1/touchpoints/", {"name": "X", "channel": "fax"})
    assert missing.status_code == 400 and {"channel", "department"} <= set(missing.json())
    unsurveyed = post(
        api,
        "/api/v1/touchpoints/",
        {"name": "X", "channel": "phone", "department": department_a.pk, "surveyed": True},
    )
    assert unsurveyed.status_code == 400 and "survey" in unsurveyed.json()
    asks = ["asks_expectation_experience", "asks_csat", "asks_nps", "asks_effort", "asks_comment"]
    silent = post(api, "/api/v1/surveys/", {"name": "Nothing", **dict.fromkeys(asks, False)})
    assert silent.status_code == 400
    assert api.get("/api/v1/touchpoints/").json()["count"] == before


def test_lists_page_filter_search_and_order(api, department_a):
    for name in ("Alpha", "Bravo", "Charlie"):
        TouchpointFactory(name=name, department=department_a, channel="phone")
    TouchpointFactory(name="Delta", channel="web")
    page = api.get("/api/v1/touchpoints/", {"channel": "phone", "ordering": "-name"}).json()
    assert [r["name"] for r in page["results"]] == ["Charlie", "Bravo", "Alpha"]
    assert api.get("/api/v1/touchpoints/", {"search": "rav"}).json()["count"] == 1
    assert "next" in page and page["count"] == 3
    recent = timezone.now() - dt.timedelta(days=1)
    assert api.get("/api/v1/responses/", {"day__gte": recent.date().isoformat()}).status_code == 200
