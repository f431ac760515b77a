"""Repeated failed logins lock that username on that address out (django-axes)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post("/login/", {"username": "casey", "password": password})


def test_five_wrong_passwords_lock_the_login_out_even_for_the_right_one(settings):
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="casey")
    client = Client()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    assert attempt(client, "secret-password").status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other_address, "secret-password").status_code == 302  # not that pair


def test_a_successful_login_resets_the_count(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="casey")
    client = Client()
    attempt(client, "wrong")
    attempt(client, "wrong")
    assert attempt(client, "secret-password").status_code == 302
    fresh = Client()
    attempt(fresh, "wrong")
    assert attempt(fresh, "wrong").status_code == 200  # counting from zero again
