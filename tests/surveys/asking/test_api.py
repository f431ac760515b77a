"""POST /api/v1/interactions/: one or many, idempotent, errors named by field and index,
and who may read or write."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Invitation
from tests.factories import InteractionFactory, StaffFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Customer, Interaction

pytestmark = pytest.mark.django_db
URL = "/api/v1/interactions/"
# One moment for every item: a retry sends exactly what it sent before.
OCCURRED = timezone.now() - dt.timedelta(minutes=3)


@pytest.fixture
def hotline(department_a):
    return TouchpointFactory(
        name="Service hotline", department=department_a, surveyed=True, survey=SurveyFactory()
    )


def item(place, external_id="CALL-1", **changes):
    return {
        "external_id": external_id,
        "touchpoint": place.pk,
        "customer": {"email": "ann@example.com", "name": "Ann", "external_ref": "CRM-9"},
        "occurred_at": OCCURRED.isoformat(),
        "outcome": "resolved",
        "wait_seconds": 95,
        **changes,
    }


def test_one_interaction_is_recorded_with_its_customer_and_invitation(
    client_for, cx_manager, hotline
):
    agent = StaffFactory(department=hotline.department)
    answer = client_for(cx_manager).post(
        URL, item(hotline, handled_by=agent.pk), content_type="application/json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["external_id"] == "CALL-1" and body["touchpoint"] == hotline.pk
    assert body["customer"]["external_ref"] == "CRM-9" and body["handled_by"] == agent.pk
    assert body["invitation"]["status"] == "pending"
    interaction = Interaction.objects.get()
    assert interaction.wait_seconds == 95 and interaction.invitation


def test_a_retry_returns_the_stored_record_and_other_content_is_a_conflict(
    client_for, cx_manager, hotline
):
    client = client_for(cx_manager)
    first = client.post(URL, item(hotline), content_type="application/json").json()
    again = client.post(URL, item(hotline), content_type="application/json")
    assert again.status_code == 200 and again.json() == first
    other = client.post(URL, item(hotline, wait_seconds=1), content_type="application/json")
    assert other.status_code == 409 and "other content" in other.json()["external_id"][0]
    batch = [item(hotline, "CALL-9"), item(hotline, wait_seconds=1)]
    refused = client.post(URL, batch, content_type="application/json")
    assert refused.status_code == 409 and refused.json()[0]["index"] == 1
    assert Interaction.objects.get().wait_seconds == 95  # and CALL-9 was not written
    assert Interaction.objects.count() == Invitation.objects.count() == 1


def test_a_list_is_recorded_in_one_go(client_for, cx_manager, hotline):
    items = [item(hotline, f"CALL-{n}", customer={"email": f"c{n}@example.com"}) for n in range(5)]
    answer = client_for(cx_manager).post(URL, items, content_type="application/json")
    assert answer.status_code == 201 and len(answer.json()) == 5
    assert Interaction.objects.count() == 5 and Customer.objects.count() == 5


def test_return_minimal_gives_each_record_id_and_whether_it_was_new(
    client_for, cx_manager, hotline
):
    client = client_for(cx_manager)
    known = client.post(URL, item(hotline, "CALL-0"), content_type="application/json").json()
    items = [item(hotline, "CALL-0"), item(hotline, "CALL-1"), item(hotline, None)]
    answer = client.post(
        URL, items, content_type="application/json", HTTP_PREFER="respond-async, return=minimal"
    )
    assert answer.status_code == 201 and answer["Preference-Applied"] == "return=minimal"
    stored = {i.external_id: i.pk for i in Interaction.objects.all()}
    assert answer.json() == [
        {"id": known["id"], "external_id": "CALL-0", "created": False},
        {"id": stored["CALL-1"], "external_id": "CALL-1", "created": True},
        {"id": stored[None], "external_id": None, "created": True},
    ]
    one = client.post(
        URL, item(hotline, "CALL-1"), content_type="application/json", HTTP_PREFER="return=minimal"
    )
    assert one.status_code == 200
    assert one.json() == {"id": stored["CALL-1"], "external_id": "CALL-1", "created": False}
    full = client.post(URL, item(hotline, "CALL-1"), content_type="application/json")
    assert "Preference-Applied" not in full and full.json()["customer"]["email"]


def test_a_bad_item_names_its_index_and_field_and_nothing_is_written(
    client_for, cx_manager, hotline
):
    items = [
        item(hotline, "OK-1"),
        item(hotline, "BAD-1", touchpoint=999999),
        item(hotline, "BAD-2", handled_by=424242, customer={"email": "not-an-email"}),
    ]
    answer = client_for(cx_manager).post(URL, items, content_type="application/json")
    assert answer.status_code == 400
    errors = answer.json()
    assert errors[0] == {"index": 1, "touchpoint": ["unknown touchpoint '999999'"]}
    assert errors[1]["index"] == 2 and "handled_by" in errors[1]
    assert "email" in errors[1]["customer"]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"wait_seconds": -4}, "wait_seconds"),
        ({"occurred_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "occurred_at"),
        ({"customer": {}}, "customer"),
    ],
)
def test_bad_fields_are_named(client_for, cx_manager, hotline, changes, field):
    answer = client_for(cx_manager).post(
        URL, item(hotline, **changes), content_type="application/json"
    )
    assert answer.status_code == 400 and field in answer.json()


def test_batches_are_capped_at_a_thousand(client_for, cx_manager, hotline):
    items = [item(hotline, f"C-{n}") for n in range(1001)]
    answer = client_for(cx_manager).post(URL, items, content_type="application/json")
    assert answer.status_code == 400 and not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("no_role_user", 403), ("head_a", 403), ("cx_manager", 201),
     ("admin_user", 201)],
)  # fmt: skip
def test_only_cx_managers_and_admins_write(request, client_for, hotline, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    answer = client_for(user).post(URL, item(hotline), content_type="application/json")
    assert answer.status_code == status


def test_reading_is_scoped_to_the_department(client_for, head_a, head_b, cx_manager, hotline):
    mine = InteractionFactory(touchpoint=hotline)
    other = InteractionFactory(
        touchpoint=TouchpointFactory(department=head_b.headed_departments.get())
    )
    ids = lambda user: {row["id"] for row in client_for(user).get(URL).json()["results"]}  # noqa: E731
    assert ids(head_a) == {mine.pk}
    assert ids(head_b) == {other.pk}
    assert ids(cx_manager) == {mine.pk, other.pk}
    assert client_for(head_a).get(f"{URL}{other.pk}/").status_code == 404
    assert client_for(head_a).get(f"{URL}{mine.pk}/").status_code == 200
    assert Client().get(URL).status_code == 401  # with WWW-Authenticate: Token
