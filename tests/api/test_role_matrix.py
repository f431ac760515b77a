"""Every API endpoint by every role: anonymous, no role, integration token, head A, head B,
CX manager, and a front-line staff member of A (their own follow-ups and answers, nothing
else). Lists never hold another department's rows; another department's record is a
404; writes are for whom they are meant, and a refused write changes nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Outreach
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    FollowUpFactory,
    ImprovementActionFactory,
    InteractionFactory,
    JourneyFactory,
    ResponseFactory,
    StaffFactory,
    StageFactory,
    StepFactory,
    SurveyFactory,
    TouchpointFactory,
)
from touchpoints.api_tokens import make_token
from touchpoints.models import TokenScope

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "integration", "head_a", "head_b", "cx_manager", "staff_a"]
# What front-line staff may read: the rows that are theirs.
STAFF_READS = {"follow-ups", "responses"}


@pytest.fixture
def world(department_a, department_b):
    """Department A's and B's own rows of every kind, and a map placing both."""
    rows = {}
    for key, department in (("a", department_a), ("b", department_b)):
        survey = SurveyFactory(name=f"Survey {key}")
        touchpoint = TouchpointFactory(department=department, name=f"Desk {key}")
        staff = StaffFactory(department=department, email=f"staff-{key}@example.com")
        customer = CustomerFactory(email=f"customer-{key}@example.com")
        interaction = InteractionFactory(touchpoint=touchpoint, customer=customer)
        response = ResponseFactory(invitation__interaction=interaction, comment=f"said {key}")
        rows[key] = {
            "departments": department,
            "staff": staff,
            "customers": customer,
            "touchpoints": touchpoint,
            "improvements": ImprovementActionFactory(touchpoint=touchpoint),
            "interactions": interaction,
            "complaints": ComplaintFactory(touchpoint=touchpoint, customer=customer),
            "surveys": survey,
            "invitations": response.invitation,
            "responses": response,
            "follow-ups": FollowUpFactory(response=response),
        }
    journey = JourneyFactory()
    stage = StageFactory(journey=journey)
    for key in "ab":
        rows[key]["journeys"] = journey
        rows[key]["stages"] = stage
        rows[key]["steps"] = StepFactory(
            stage=stage, touchpoint=rows[key]["touchpoints"], position=0 if key == "a" else 1
        )
    return rows


@pytest.fixture
def as_role(request, client, cx_manager, world):
    def login(role):
        if role == "staff_a":
            # Department A's answer is to Sam's interaction, and its follow-up is Sam's.
            sam = request.getfixturevalue("staff_a").staff_profile
            world["a"]["interactions"].handled_by = sam
            world["a"]["interactions"].save(update_fields=["handled_by"])
            world["a"]["follow-ups"].assigned_to = sam
            world["a"]["follow-ups"].save(update_fields=["assigned_to"])
        if role == "anonymous":
            return Client()
        if role == "integration":
            _token, key = make_token(cx_manager, "Tills", TokenScope.INTEGRATION)
            return Client(HTTP_AUTHORIZATION=f"Token {key}")
        user = request.getfixturevalue("no_role_user" if role == "no_role" else role)
        api = Client()
        api.force_login(user)
        return api

    return login


# Department-owned: a head reads their own. Shared: maps and survey designs, read by all.
SCOPED = [
    "departments",
    "staff",
    "customers",
    "touchpoints",
    "improvements",
    "interactions",
    "complaints",
    "invitations",
    "responses",
    "follow-ups",
]
SHARED = ["journeys", "stages", "steps", "surveys"]


def _ids(body):
    return {row["id"] for row in body["results"]}


@pytest.mark.parametrize("resource", SCOPED + SHARED)
@pytest.mark.parametrize("role", ROLES)
def test_reading_each_resource(as_role, world, resource, role):
    api = as_role(role)
    listed = api.get(f"/api/v1/{resource}/")
    mine, theirs = world["a"][resource], world["b"][resource]
    detail_of_b = api.get(f"/api/v1/{resource}/{theirs.pk}/")
    expected = {"anonymous": 401, "no_role": 403, "integration": 403}.get(role, 200)
    if role == "staff_a" and resource not in STAFF_READS:
        expected = 403
    assert listed.status_code == expected, listed.content
    if expected != 200:
        assert detail_of_b.status_code == expected
        return
    ids = _ids(listed.json())
    if role == "cx_manager" or resource in SHARED:
        assert {mine.pk, theirs.pk} <= ids
        assert detail_of_b.status_code == 200
    else:
        own, other = (theirs, mine) if role == "head_b" else (mine, theirs)
        assert own.pk in ids and other.pk not in ids, "a list leaks another department's row"
        other_detail = api.get(f"/api/v1/{resource}/{other.pk}/")
        assert other_detail.status_code == 404


NEW = {
    "departments": lambda w: {"name": "Logistics", "colour": "#123456"},
    "staff": lambda w: {
        "name": "Robin",
        "email": "robin@example.com",
        "department": w["a"]["departments"].pk,
    },
    "customers": lambda w: {"email": "new@example.com", "name": "New"},
    "touchpoints": lambda w: {
        "name": "Chatbot",
        "channel": "chat",
        "department": w["a"]["departments"].pk,
    },
    "improvements": lambda w: {
        "touchpoint": w["a"]["touchpoints"].pk,
        "title": "Call-back promise",
        "changed_on": str(timezone.localdate()),
    },
    "surveys": lambda w: {"name": "Quick pulse", "asks_nps": True},
    "journeys": lambda w: {"name": "Returning a floor", "kind": "customer"},
    "stages": lambda w: {"journey": w["a"]["journeys"].pk, "name": "Aftercare"},
}
CHANGE = {
    "departments": {"colour": "#654321"},
    "staff": {"name": "Renamed"},
    "customers": {"segment": "Contractor"},
    "touchpoints": {"description": "Changed"},
    "improvements": {"title": "Changed"},
    "surveys": {"intro": "Changed"},
    "journeys": {"name": "Changed"},
    "stages": {"name": "Changed"},
    "follow-ups": {"status": "in_progress"},
}


@pytest.mark.parametrize("resource", sorted(NEW))
@pytest.mark.parametrize("role", ROLES)
def test_creating_is_for_cx_managers(as_role, world, resource, role):
    api = as_role(role)
    response = api.post(
        f"/api/v1/{resource}/", NEW[resource](world), content_type="application/json"
    )
    expected = {"anonymous": 401, "cx_manager": 201}.get(role, 403)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("resource", sorted(CHANGE))
@pytest.mark.parametrize("role", ROLES)
def test_changing_is_for_cx_managers_and_heads_work_their_follow_ups(
    as_role, world, resource, role
):
    api = as_role(role)
    mine, theirs = world["a"][resource], world["b"][resource]
    url = f"/api/v1/{resource}/{{}}/"
    changed = api.patch(url.format(mine.pk), CHANGE[resource], content_type="application/json")
    if role == "anonymous":
        assert changed.status_code == 401
    elif role in ("no_role", "integration") or (role == "staff_a" and resource != "follow-ups"):
        assert changed.status_code == 403
    elif role == "cx_manager":
        assert changed.status_code == 200, changed.content
    elif resource == "follow-ups":
        # A head works their own department's follow-ups (staff their own), and cannot see
        # the others'.
        assert changed.status_code == (404 if role == "head_b" else 200)
        other = mine if role == "head_b" else theirs
        refused = api.patch(url.format(other.pk), CHANGE[resource], content_type="application/json")
        assert refused.status_code == 404
    else:
        assert changed.status_code == 403  # heads read; the method is refused before the row
    # The other department's row never changes; ours only when the change was taken. (Maps
    # are shared: there, both are one row.) The objects in memory hold the values before.
    unchanged = {theirs} - {mine} | ({mine} if changed.status_code != 200 else set())
    for row in unchanged:
        before = {f: getattr(row, f) for f in CHANGE[resource]}
        row.refresh_from_db()
        assert {f: getattr(row, f) for f in CHANGE[resource]} == before


@pytest.mark.parametrize("resource", ["departments", "touchpoints", "improvements", "journeys"])
@pytest.mark.parametrize("role", ["head_a", "head_b", "integration", "cx_manager", "staff_a"])
def test_deleting(as_role, world, resource, role):
    api = as_role(role)
    target = world["a"][resource]
    deleted = api.delete(f"/api/v1/{resource}/{target.pk}/")
    if role != "cx_manager":
        assert deleted.status_code in (403, 404)
        assert type(target).objects.filter(pk=target.pk).exists()
    elif resource in ("departments", "touchpoints"):
        # Still used by touchpoints, answers and interactions: refused, kept, and said why.
        assert deleted.status_code == 409
        assert "still used" in deleted.json()["detail"]
        assert type(target).objects.filter(pk=target.pk).exists()
    else:
        assert deleted.status_code == 204
        assert not type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_scores_for_whom_may_read_them(as_role, world, role):
    response = as_role(role).get("/api/v1/scores/", {"level": "department"})
    expected = {"anonymous": 401, "no_role": 403, "integration": 403, "staff_a": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        names = {row["name"] for row in response.json()}
        everyone = {world[k]["departments"].name for k in "ab"}
        own = {
            "head_a": {world["a"]["departments"].name},
            "head_b": {world["b"]["departments"].name},
        }
        assert names == own.get(role, everyone)


@pytest.mark.parametrize("path", ["standards", "standard-alerts"])
@pytest.mark.parametrize("role", ROLES)
def test_standards_endpoints_for_whom_may_read_them(as_role, world, role, path):
    response = as_role(role).get(f"/api/v1/{path}/")
    expected = {"anonymous": 401, "no_role": 403, "integration": 403, "staff_a": 403}
    assert response.status_code == expected.get(role, 200)


def test_a_write_ignores_fields_it_does_not_take(as_role, world, cx_manager):
    api = as_role("cx_manager")
    response = api.post(
        "/api/v1/improvements/",
        {
            **NEW["improvements"](world),
            "created_by": 999,
            "created_at": "2000-01-01T00:00:00Z",
            "id": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["created_by"] == cx_manager.pk and body["id"] != 5
    assert body["created_at"] > (timezone.now() - dt.timedelta(minutes=1)).isoformat()[:10]


@pytest.mark.parametrize("role", ROLES)
def test_the_action_lists_and_marking_done_by_role(as_role, world, role):
    """Both departments' customers have an open complaint: each is at risk, for whom may
    read it. Marking B's customer done works only for whom the list shows them."""
    api = as_role(role)
    listed = api.get("/api/v1/action-lists/", {"list": "at_risk"})
    a, b = world["a"]["customers"].pk, world["b"]["customers"].pk
    done = api.post(
        "/api/v1/action-lists/", {"list": "at_risk", "customer": b}, content_type="application/json"
    )
    expected = {"anonymous": 401, "no_role": 403, "integration": 403}.get(role, 200)
    assert listed.status_code == expected
    if expected != 200:
        assert done.status_code == expected
        assert not Outreach.objects.exists()
        return
    shown = {row["customer"] for row in listed.json()["results"]}
    assert shown == {"cx_manager": {a, b}, "head_a": {a}, "head_b": {b}, "staff_a": set()}[role]
    if b in shown:
        assert done.status_code == 201
    else:
        assert done.status_code == 400 and "customer" in done.json()
        assert not Outreach.objects.exists()
