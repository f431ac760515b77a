"""Inviting front-line staff to sign in: an account linked to their Staff record, a
set-password link by email (a real SMTP server) that works once, and the scope of who may
invite whom."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mia(department_a):
    return StaffFactory(name="Mia Rossi", email="Mia.Rossi@example.com", department=department_a)


def _invite(client, staff, capture):
    with capture(execute=True):
        return client.post(f"/touchpoints/staff/{staff.pk}/invite")


def test_a_head_invites_and_the_person_sets_a_password_and_signs_in(
    client_for, head_a, mia, smtp, django_capture_on_commit_callbacks
):
    sent = _invite(client_for(head_a), mia, django_capture_on_commit_callbacks)
    assert sent.status_code == 302
    mia.refresh_from_db()
    user = mia.user
    assert user.username == "mia.rossi@example.com" and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Mia", "Rossi")
    (email,) = smtp.messages
    assert email["To"] == "Mia.Rossi@example.com"
    link = re.search(r"https?://\S+/account/set-password/\S+", email.get_content()).group(0)
    browser = Client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = browser.get("/" + path, follow=True)
    assert b"Set your password" in form_page.content
    form_url = form_page.redirect_chain[-1][0]  # the token is swapped for the session
    done = browser.post(
        form_url, {"new_password1": "long-enough-pass-42", "new_password2": "long-enough-pass-42"}
    )
    assert done.status_code == 302
    # The link works once.
    assert b"no longer works" in Client().get("/" + path, follow=True).content
    assert (
        browser.post(
            "/login/", {"username": "mia.rossi@example.com", "password": "long-enough-pass-42"}
        ).status_code
        == 302
    )
    assert browser.get("/").url == "/my-work/"
    assert b"Mia Rossi" in browser.get("/my-work/").content


def test_the_invitation_is_for_the_own_department_and_for_members(
    client_for, head_b, staff_a, mia, django_capture_on_commit_callbacks
):
    assert _invite(client_for(head_b), mia, django_capture_on_commit_callbacks).status_code == 404
    assert _invite(client_for(staff_a), mia, django_capture_on_commit_callbacks).status_code == 403
    mia.refresh_from_db()
    assert mia.user is None
    listed = client_for(head_b).get("/touchpoints/staff/").content.decode()
    assert "Mia Rossi" not in listed


def test_an_existing_account_is_linked_but_never_taken_from_another_staff_member(
    client_for, cx_manager, mia, department_a, smtp, django_capture_on_commit_callbacks
):
    existing = UserFactory(username="mia.rossi@example.com")
    client = client_for(cx_manager)
    _invite(client, mia, django_capture_on_commit_callbacks)
    mia.refresh_from_db()
    assert mia.user == existing and get_user_model().objects.count() == 2
    # An account named by this person's email, yet linked to another staff record.
    other = StaffFactory(name="Other", email="other@example.com", department=department_a)
    taken = UserFactory(username="other@example.com")
    StaffFactory(email="third@example.com", department=department_a, user=taken)
    page = _invite(client, other, django_capture_on_commit_callbacks)
    assert page.status_code == 302
    followed = client.get("/touchpoints/staff/").content.decode()
    assert "is another staff member" in followed
    other.refresh_from_db()
    assert other.user is None
