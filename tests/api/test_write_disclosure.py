"""Every write door by every role: anonymous, no role, integration token, head A, head B,
CX manager. Each write names the other department's things (its customers by reference,
its staff by id, its records by external_id); the reply must hold no name, email or text
the caller could not read, and nothing the caller could not read may change.

The read matrix (test_role_matrix.py) proves what each role can GET; this one proves
that no write hands out or changes more."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from surveys.models import Complaint, FollowUp
from tests.clients import ClientByPath
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    FollowUpFactory,
    InteractionFactory,
    ResponseFactory,
    StaffFactory,
    SurveyFactory,
    TouchpointFactory,
)
from touchpoints.api_tokens import make_token
from touchpoints.models import Customer, Interaction, Staff, TokenScope, Touchpoint

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "integration", "head_a", "head_b", "cx_manager"]
MOMENT = timezone.now() - dt.timedelta(hours=1)


@pytest.fixture
def world(department_a, department_b):
    """Each department's own rows, with secrets (names and texts) to look for."""
    rows = {}
    for key, department in (("a", department_a), ("b", department_b)):
        touchpoint = TouchpointFactory(
            department=department, name=f"Desk {key}", surveyed=True, survey=SurveyFactory()
        )
        staff = StaffFactory(department=department, name=f"Secret Staffer {key.upper()}")
        customer = CustomerFactory(
            email=f"secret-{key}@example.com", name=f"Secret Customer {key.upper()}",
            external_ref=f"CRM-{key.upper()}",
        )  # fmt: skip
        interaction = InteractionFactory(
            touchpoint=touchpoint, customer=customer, external_id=f"CALL-{key.upper()}",
            occurred_at=MOMENT,
        )  # fmt: skip
        response = ResponseFactory(
            invitation__interaction=interaction, comment=f"secret comment {key}"
        )
        rows[key] = {
            "key": key,
            "department": department,
            "touchpoint": touchpoint,
            "staff": staff,
            "customer": customer,
            "interaction": interaction,
            "complaint": ComplaintFactory(
                touchpoint=touchpoint,
                customer=customer,
                text=f"secret complaint {key}",
                external_id=f"CMP-{key.upper()}",
                received_at=MOMENT,
            ),
            "follow_up": FollowUpFactory(response=response),
        }
    return rows


def secrets_of(rows) -> list[str]:
    """What the department holds that a write must never reply with: nobody sends these."""
    return [
        rows["customer"].name,
        rows["customer"].email,
        rows["staff"].name,
        rows["staff"].email,
        rows["complaint"].text,
        f"secret comment {rows['key']}",
    ]


def unreadable(role) -> list[str]:
    """The departments whose rows this role may not read."""
    return {"cx_manager": [], "head_a": ["b"], "head_b": ["a"]}.get(role, ["a", "b"])


def snapshot(world, key) -> dict:
    """Everything of the department's a write could change."""
    rows = world[key]
    return {
        name: model_to_dict(type(row).objects.get(pk=row.pk))
        for name, row in rows.items()
        if name not in ("key", "department")
    }


@pytest.fixture
def as_role(request, cx_manager):
    def login(role):
        if role == "anonymous":
            return ClientByPath(raise_request_exception=False)
        if role == "integration":
            _token, key = make_token(cx_manager, "Tills", TokenScope.INTEGRATION)
            return ClientByPath(HTTP_AUTHORIZATION=f"Token {key}", raise_request_exception=False)
        user = request.getfixturevalue("no_role_user" if role == "no_role" else role)
        client = ClientByPath(raise_request_exception=False)
        client.force_login(user)
        return client

    return login


def own_touchpoint(world, role) -> Touchpoint:
    return world["b"]["touchpoint"] if role == "head_b" else world["a"]["touchpoint"]


def other(world, role) -> dict:
    """The department the write reaches into: the one the caller may not read (for a CX
    manager, who reads both, B's)."""
    return world["a"] if role == "head_b" else world["b"]


def api(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


# Each door: (client, world, role) -> the response of one write that reaches into the
# other department.
DOORS = {
    "interaction naming their customer": lambda c, w, r: api(c, "post", "/api/v1/interactions/", {
        "external_id": "NEW-1", "touchpoint": own_touchpoint(w, r).pk, "occurred_at":
        MOMENT.isoformat(), "outcome": "resolved", "handled_by": other(w, r)["staff"].pk,
        "customer": {"email": "caller@example.com", "name": "Caller",
                     "external_ref": other(w, r)["customer"].external_ref},
    }),
    "interaction replaying their external_id": lambda c, w, r: api(
        c, "post", "/api/v1/interactions/", {
            "external_id": other(w, r)["interaction"].external_id,
            "touchpoint": other(w, r)["touchpoint"].pk, "occurred_at": MOMENT.isoformat(),
            "outcome": "resolved",
            "customer": {"email": "x@example.com",
                         "external_ref": other(w, r)["customer"].external_ref},
        }),
    "interactions replaying a batch of theirs": lambda c, w, r: api(
        c, "post", "/api/v1/interactions/", [{
            "external_id": w[k]["interaction"].external_id,
            "touchpoint": w[k]["touchpoint"].pk, "occurred_at": MOMENT.isoformat(),
            "outcome": w[k]["interaction"].outcome,
            "customer": {"email": "x@example.com", "external_ref": w[k]["customer"].external_ref},
        } for k in "ab"]),
    "complaint naming their customer and staff": lambda c, w, r: api(
        c, "post", "/api/v1/complaints/", {
            "touchpoint": own_touchpoint(w, r).pk, "source": "phone", "text": "Rude.",
            "received_at": MOMENT.isoformat(), "owner": other(w, r)["staff"].pk,
            "customer": {"email": "caller@example.com", "name": "Renamed",
                         "external_ref": other(w, r)["customer"].external_ref},
        }),
    "complaint replaying their external_id": lambda c, w, r: api(
        c, "post", "/api/v1/complaints/", {
            "external_id": other(w, r)["complaint"].external_id,
            "touchpoint": own_touchpoint(w, r).pk, "source": "phone", "text": "Other.",
            "received_at": MOMENT.isoformat(),
        }),
    "complaint replaying theirs word for word": lambda c, w, r: api(
        c, "post", "/api/v1/complaints/", {
            "external_id": other(w, r)["complaint"].external_id,
            "touchpoint": other(w, r)["touchpoint"].pk, "source": "phone",
            "text": other(w, r)["complaint"].text, "received_at": MOMENT.isoformat(),
        }),
    "follow-up of theirs assigned": lambda c, w, r: api(
        c, "patch", f"/api/v1/follow-ups/{other(w, r)['follow_up'].pk}/",
        {"status": "done", "assigned_to": other(w, r)["staff"].pk},
    ),
    "own follow-up assigned to their staff": lambda c, w, r: api(
        c, "patch", f"/api/v1/follow-ups/{w['a' if r != 'head_b' else 'b']['follow_up'].pk}/",
        {"assigned_to": other(w, r)["staff"].pk},
    ),
    "customer of theirs changed": lambda c, w, r: api(
        c, "patch", f"/api/v1/customers/{other(w, r)['customer'].pk}/", {"segment": "Trade"}
    ),
    "staff of theirs changed": lambda c, w, r: api(
        c, "patch", f"/api/v1/staff/{other(w, r)['staff'].pk}/", {"name": "Changed"}
    ),
    "complaint form naming their customer and staff": lambda c, w, r: c.post(
        "/complaints/new/", {
            "touchpoint": own_touchpoint(w, r).pk, "source": "phone", "text": "Rude.",
            "received_at": MOMENT.strftime("%Y-%m-%dT%H:%M"),
            "customer_email": other(w, r)["customer"].email.upper(), "customer_name": "Renamed",
            "owner": other(w, r)["staff"].pk,
        }, follow=True),
    "complaint of theirs worked on": lambda c, w, r: c.post(
        f"/complaints/{other(w, r)['complaint'].pk}/",
        {"status": "resolved", "owner": "", "resolution_notes": "Done."},
    ),
    "touchpoint of theirs edited": lambda c, w, r: c.post(
        f"/touchpoints/{other(w, r)['touchpoint'].pk}/edit/",
        {"name": "Renamed", "channel": "phone", "department": other(w, r)["department"].pk},
    ),
    "interactions file naming their customer": lambda c, w, r: c.post(
        "/interactions/import/", {"file": SimpleUploadedFile("i.csv", (
            "external_id,touchpoint,customer_email,customer_external_ref,occurred_at,outcome\n"
            f"{other(w, r)['interaction'].external_id},{other(w, r)['touchpoint'].pk},"
            f"x@example.com,{other(w, r)['customer'].external_ref},{MOMENT.isoformat()},lost\n"
        ).encode())}),
}  # fmt: skip


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("role", ROLES)
def test_a_write_discloses_and_changes_nothing_outside_the_callers_scope(
    as_role, world, role, door
):
    hidden = unreadable(role)
    before = {key: snapshot(world, key) for key in hidden}
    answer = DOORS[door](as_role(role), world, role)
    assert answer.status_code < 500, answer.content[:500]
    body = answer.content.decode()
    for key in hidden:
        for secret in secrets_of(world[key]):
            assert secret not in body, f"the reply to {role} holds {secret!r}"
        assert snapshot(world, key) == before[key], f"{role} changed department {key}'s rows"


def test_an_integration_token_replaying_a_thousand_ids_learns_nothing(as_role, world):
    """The finding as reported: a batch of known ids from a till's token returned every
    record with its customer's name and email."""
    people = [CustomerFactory() for _ in range(20)]
    known = [
        InteractionFactory(
            customer=person, touchpoint=world["a"]["touchpoint"], external_id=f"DEMO-{n:06d}",
            occurred_at=MOMENT,
        )
        for n, person in enumerate(people)
    ]  # fmt: skip
    batch = [
        {"external_id": i.external_id, "touchpoint": i.touchpoint_id, "outcome": i.outcome,
         "occurred_at": MOMENT.isoformat(), "customer": {"email": i.customer.email}}
        for i in known
    ]  # fmt: skip
    answer = api(as_role("integration"), "post", "/api/v1/interactions/", batch)
    assert answer.status_code == 200
    assert answer.json() == [
        {"id": i.pk, "external_id": i.external_id, "created": False} for i in known
    ]
    assert Interaction.objects.count() == len(known) + 2


def test_naming_another_departments_staff_is_unknown_not_named(as_role, world):
    """The finding as reported: trying staff ids named every other department's staff."""
    client = as_role("head_a")
    for staff in Staff.objects.all():
        answer = api(client, "post", "/api/v1/complaints/", {
            "touchpoint": world["a"]["touchpoint"].pk, "source": "phone", "text": "Rude.",
            "received_at": MOMENT.isoformat(), "owner": staff.pk,
        })  # fmt: skip
        if staff.department_id == world["a"]["department"].pk:
            assert answer.status_code == 201
        else:
            assert answer.status_code == 400 and staff.name not in answer.content.decode()
            assert answer.json()["owner"] == [f"unknown staff member '{staff.pk}'"]


def test_the_customer_a_replay_matched_is_never_handed_out(as_role, world):
    answer = api(as_role("head_a"), "post", "/api/v1/complaints/", {
        "touchpoint": world["a"]["touchpoint"].pk, "source": "phone", "text": "Rude.",
        "received_at": MOMENT.isoformat(), "customer": {"email": "secret-b@example.com"},
    })  # fmt: skip
    assert answer.status_code == 201 and answer.json()["customer"] is None
    stored = Complaint.objects.get(pk=answer.json()["id"])
    assert stored.customer == world["b"]["customer"]  # kept whole: matched, not shown
    assert Customer.objects.filter(email__iexact="secret-b@example.com").count() == 1
    assert not FollowUp.objects.filter(assigned_to__isnull=False).exists()
    assert Client().get("/api/v1/customers/").status_code == 401
