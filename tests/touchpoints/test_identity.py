"""Who may change a known customer's identity, through each door: a CX manager's writes
update the record; an integration token's or a head's are kept for a CX manager to
decide, and the reply holds nothing of the stored customer."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Complaint, Invitation
from tests.factories import (
    CustomerFactory,
    InteractionFactory,
    SurveyFactory,
    TouchpointFactory,
)
from touchpoints.api_tokens import make_token
from touchpoints.models import Customer, IdentityChange, TokenScope

pytestmark = pytest.mark.django_db
MOMENT = timezone.now() - dt.timedelta(minutes=5)


@pytest.fixture
def hotline(department_a):
    return TouchpointFactory(
        name="Service hotline", department=department_a, surveyed=True, survey=SurveyFactory()
    )


@pytest.fixture
def customer_43(department_b):
    """A customer of department B only: head A may not read them."""
    person = CustomerFactory(email="real@example.com", name="Rita Real", external_ref="CRM-00042")
    InteractionFactory(customer=person, touchpoint=TouchpointFactory(department=department_b))
    return person


@pytest.fixture
def till(cx_manager):
    _token, key = make_token(cx_manager, "Shop till", TokenScope.INTEGRATION)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def interaction(hotline, **customer):
    return {
        "external_id": "TILL-1",
        "touchpoint": hotline.pk,
        "customer": {"email": "attacker@evil.example", "name": "Mallory", **customer},
        "occurred_at": MOMENT.isoformat(),
        "outcome": "resolved",
    }


def test_a_partner_matching_a_known_reference_changes_nothing_and_learns_nothing(
    till, hotline, customer_43
):
    answer = till.post(
        "/api/v1/interactions/",
        interaction(hotline, external_ref="CRM-00042"),
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json() == {"id": answer.json()["id"], "external_id": "TILL-1", "created": True}
    customer_43.refresh_from_db()
    assert (customer_43.email, customer_43.name) == ("real@example.com", "Rita Real")
    # The survey goes to the address on record, not to the one the partner sent.
    invitation = Invitation.objects.get(interaction__external_id="TILL-1")
    assert invitation.interaction.customer == customer_43
    reported = {(c.field, c.value) for c in IdentityChange.objects.filter(customer=customer_43)}
    assert reported == {("email", "attacker@evil.example"), ("name", "Mallory")}
    assert IdentityChange.objects.get(field="email").source == "API token “Shop till”"


def test_a_partner_retrying_reports_each_change_once(till, hotline, customer_43):
    for _ in range(3):
        till.post(
            "/api/v1/interactions/",
            interaction(hotline, external_ref="CRM-00042"),
            content_type="application/json",
        )
    assert IdentityChange.objects.filter(customer=customer_43).count() == 2


def test_a_cx_manager_is_trusted_with_identities(client_for, cx_manager, hotline, customer_43):
    answer = client_for(cx_manager).post(
        "/api/v1/interactions/",
        interaction(hotline, external_ref="CRM-00042", email="rita@new.example"),
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["customer"]["email"] == "rita@new.example"
    customer_43.refresh_from_db()
    assert customer_43.email == "rita@new.example" and not IdentityChange.objects.exists()


def test_a_partner_may_still_make_new_customers(till, hotline):
    answer = till.post(
        "/api/v1/interactions/", interaction(hotline, email="new@example.com"),
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201
    assert Customer.objects.get(email="new@example.com").name == "Mallory"


def complaint(hotline, **customer):
    return {
        "touchpoint": hotline.pk,
        "source": "phone",
        "received_at": MOMENT.isoformat(),
        "text": "Rude on the phone.",
        "customer": {"email": "real@example.com", "name": "Someone Else", **customer},
    }


def test_a_heads_complaint_naming_another_departments_customer(
    client_for, head_a, hotline, customer_43
):
    client = client_for(head_a)
    answer = client.post(
        "/api/v1/complaints/", complaint(hotline, external_ref="CRM-00042"),
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201
    body = answer.content.decode()
    assert answer.json()["customer"] is None
    assert "Rita" not in body and "real@example.com" not in body
    customer_43.refresh_from_db()
    assert customer_43.name == "Rita Real"
    assert IdentityChange.objects.get(customer=customer_43).value == "Someone Else"
    # The complaint is the customer's, but the head's pages do not show them.
    stored = Complaint.objects.get()
    assert stored.customer == customer_43
    for page in (client.get(f"/complaints/{stored.pk}/"), client.get("/complaints/")):
        assert "Rita" not in page.content.decode()
        assert "real@example.com" not in page.content.decode()
    assert client.get(f"/api/v1/complaints/{stored.pk}/").json()["customer"] is None


def test_a_heads_complaint_form_keeps_the_stored_identity(client_for, head_a, hotline, customer_43):
    page = client_for(head_a).post(
        "/complaints/new/",
        {
            "touchpoint": hotline.pk,
            "source": "phone",
            "received_at": MOMENT.strftime("%Y-%m-%dT%H:%M"),
            "text": "Nobody called back.",
            "customer_email": "REAL@example.com",
            "customer_name": "Renamed",
        },
        follow=True,
    )
    assert page.status_code == 200 and "Rita" not in page.content.decode()
    customer_43.refresh_from_db()
    assert customer_43.name == "Rita Real"
    assert IdentityChange.objects.get().source == "complaint form, head-a"


def test_a_cx_manager_accepts_or_dismisses_what_was_reported(
    client_for, cx_manager, head_a, till, hotline, customer_43
):
    till.post(
        "/api/v1/interactions/",
        interaction(hotline, external_ref="CRM-00042", name="Rita Realm"),
        content_type="application/json",
    )
    assert client_for(head_a).get("/touchpoints/identity-changes/").status_code == 403
    client = client_for(cx_manager)
    page = client.get("/touchpoints/identity-changes/")
    assert (
        "Rita Realm" in page.content.decode() and "attacker@evil.example" in page.content.decode()
    )
    assert "Identity changes <span" in client.get("/journeys/").content.decode()
    name = IdentityChange.objects.get(field="name")
    email = IdentityChange.objects.get(field="email")
    client.post(f"/touchpoints/identity-changes/{name.pk}/", {"decision": "accept"})
    client.post(f"/touchpoints/identity-changes/{email.pk}/", {"decision": "dismiss"})
    customer_43.refresh_from_db()
    assert (customer_43.name, customer_43.email) == ("Rita Realm", "real@example.com")
    name.refresh_from_db()
    email.refresh_from_db()
    assert (name.accepted, email.accepted) == (True, False) and name.decided_by == cx_manager
    # Decided once: a second decision finds nothing to decide.
    again = client.post(f"/touchpoints/identity-changes/{name.pk}/", {"decision": "dismiss"})
    assert again.status_code == 404
