"""The customer page: found by email, reference or name; a timeline scoped like every
read; erasure for admins only, confirmed by typing the email."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.asking.public_answers import record_public_answer
from surveys.models import AnswerSource, Complaint, Response
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    FollowUpFactory,
    InteractionFactory,
    ResponseFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(department_a, department_b):
    """Ada met a touchpoint of each department: answered at A, complained at B."""
    ada = CustomerFactory(email="Ada.Lovelace@Example.com", name="Ada Lovelace", external_ref="C-1")
    at_a, at_b = (
        TouchpointFactory(department=department_a),
        TouchpointFactory(department=department_b),
    )
    now = timezone.now()
    answer = ResponseFactory(
        invitation__interaction__customer=ada,
        invitation__interaction__touchpoint=at_a,
        invitation__interaction__occurred_at=now - dt.timedelta(days=3),
        submitted_at=now - dt.timedelta(days=2),
        nps=2,
        comment="The fitter never came.",
    )
    FollowUpFactory(response=answer, created_at=now - dt.timedelta(days=2))
    InteractionFactory(customer=ada, touchpoint=at_b, occurred_at=now - dt.timedelta(days=1))
    ComplaintFactory(customer=ada, touchpoint=at_b, text="Billing double-charged me.")
    other = CustomerFactory(name="Bob Only-B")
    InteractionFactory(customer=other, touchpoint=at_b)
    return ada, other


def test_a_cx_manager_finds_a_customer_by_email_reference_or_name(client_for, cx_manager, story):
    ada, _ = story
    client = client_for(cx_manager)
    for query in ("ada.lovelace@example.COM", "C-1"):
        found = client.get("/customers/", {"q": query})
        assert found.status_code == 302 and found.url == f"/customers/{ada.pk}/"
    listed = client.get("/customers/", {"q": "love"})
    assert listed.status_code == 302  # one match: straight to them
    none = client.get("/customers/", {"q": "nobody-like-this"})
    assert "No customer matches" in none.content.decode()


def test_the_timeline_holds_everything_for_a_cx_manager_newest_first(client_for, cx_manager, story):
    ada, _ = story
    page = client_for(cx_manager).get(f"/customers/{ada.pk}/").content.decode()
    assert page.index("Billing double-charged me.") < page.index("The fitter never came.")
    assert "Follow-up" in page and "Complaint" in page


def test_a_public_answer_that_left_their_email_is_on_their_timeline(
    client_for, cx_manager, head_b, department_b, story
):
    ada, _ = story
    kiosk = TouchpointFactory(department=department_b)
    record_public_answer(kiosk, AnswerSource.KIOSK, {"nps": 1, "comment": "Queue out the door."},
                         [], "en", email="ada.lovelace@example.com")  # fmt: skip
    page = client_for(cx_manager).get(f"/customers/{ada.pk}/").content.decode()
    assert "Queue out the door." in page and "Kiosk" in page
    assert page.count('data-kind="follow_up"') == 2  # the detractor's, with the invited one's
    # B's head reads it (at B's touchpoint), and still not A's part.
    page_b = client_for(head_b).get(f"/customers/{ada.pk}/").content.decode()
    assert "Queue out the door." in page_b and "The fitter never came." not in page_b


def test_a_head_sees_only_their_departments_part_and_no_one_else(client_for, head_a, head_b, story):
    ada, bob = story
    page_a = client_for(head_a).get(f"/customers/{ada.pk}/").content.decode()
    assert "The fitter never came." in page_a
    assert "Billing double-charged me." not in page_a
    page_b = client_for(head_b).get(f"/customers/{ada.pk}/").content.decode()
    assert "Billing double-charged me." in page_b and "The fitter never came." not in page_b
    # Bob met only B's touchpoints: A's head neither finds nor reads him.
    assert client_for(head_a).get(f"/customers/{bob.pk}/").status_code == 404
    search = client_for(head_a).get("/customers/", {"q": "Only-B"}).content.decode()
    assert "No customer matches" in search


def test_staff_and_strangers_have_no_customer_page(client_for, staff_a, no_role_user, story):
    ada, _ = story
    for user in (staff_a, no_role_user):
        assert client_for(user).get(f"/customers/{ada.pk}/").status_code == 403
        assert client_for(user).get("/customers/", {"q": "Ada"}).status_code == 403


def test_only_an_admin_erases_and_only_with_the_email_typed(
    client_for, admin_user, cx_manager, head_a, story
):
    ada, _ = story
    url = f"/customers/{ada.pk}/erase"
    for user in (cx_manager, head_a):
        assert client_for(user).post(url, {"confirm_email": ada.email}).status_code == 403
    wrong = client_for(admin_user).post(url, {"confirm_email": "someone@else.com"})
    assert wrong.status_code == 400
    assert "This is not the customer&#x27;s email." in wrong.content.decode()
    ada.refresh_from_db()
    assert ada.name == "Ada Lovelace"

    done = client_for(admin_user).post(url, {"confirm_email": "ada.lovelace@example.com"})
    assert done.status_code == 302
    ada.refresh_from_db()
    assert ada.name == "" and ada.external_ref is None
    assert not Response.objects.filter(comment__contains="fitter").exists()
    assert not Complaint.objects.filter(text__contains="Billing").exists()
    page = client_for(admin_user).get(f"/customers/{ada.pk}/").content.decode()
    assert "This customer was erased" in page and "Erase this customer" not in page


def test_odd_queries_find_nothing_rather_than_fail(client_for, cx_manager, story):
    client = client_for(cx_manager)
    for query in ("\x00", "a\x00b", "%", "_", "' OR 1=1 --", "x" * 5000):
        assert client.get("/customers/", {"q": query}).status_code == 200
    assert client.get("/customers/", {"q": "c-1"}).status_code == 302  # a reference, any case
