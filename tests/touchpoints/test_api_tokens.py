"""Per-user API tokens: made and revoked in the UI, stored hashed, scoped; an integration
token only sends interactions and complaints."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Complaint
from tests.factories import TouchpointFactory
from touchpoints.api_tokens import make_token
from touchpoints.models import ApiToken, TokenScope

pytestmark = pytest.mark.django_db


def api(key):
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_made_once_stored_hashed_and_revoked(client_for, cx_manager):
    client = client_for(cx_manager)
    page = client.post("/touchpoints/api-tokens/", {"name": "Shop tills", "scope": "integration"})
    key = page.context["new_key"]
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in str(
        token.__dict__
    )
    assert token.prefix == key[:8] and token.scope == TokenScope.INTEGRATION
    assert key not in client.get("/touchpoints/api-tokens/").content.decode()  # shown once
    client.post(f"/touchpoints/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        api(key).post("/api/v1/complaints/", {}, content_type="application/json").status_code == 401
    )


def test_a_full_token_acts_as_its_owner(head_a, department_a):
    _token, key = make_token(head_a, "Reports")
    TouchpointFactory(department=department_a)
    TouchpointFactory()  # another department's
    assert api(key).get("/api/v1/standards/").status_code == 200
    assert api("wrong-key").get("/api/v1/standards/").status_code == 401
    assert ApiToken.objects.get().last_used_at is not None


def test_an_integration_token_only_sends_interactions_and_complaints(cx_manager):
    _token, key = make_token(cx_manager, "Call centre", TokenScope.INTEGRATION)
    hotline = TouchpointFactory(name="Hotline")
    complaint = {
        "touchpoint": hotline.pk,
        "source": "phone",
        "received_at": timezone.now().isoformat(),
        "text": "Cut off twice.",
    }
    client = api(key)
    assert (
        client.post("/api/v1/complaints/", complaint, content_type="application/json").status_code
        == 201
    )
    assert Complaint.objects.count() == 1
    for url in (
        "/api/v1/complaints/",
        "/api/v1/interactions/",
        "/api/v1/standards/",
        "/api/v1/standard-alerts/",
    ):
        assert client.get(url).status_code == 403, url


def test_heads_may_make_full_tokens_only_and_revoke_only_their_own(client_for, head_a, cx_manager):
    client = client_for(head_a)
    page = client.post("/touchpoints/api-tokens/", {"name": "Sneaky", "scope": "integration"})
    assert page.status_code == 400 and "scope" in page.context["form"].errors
    others, _key = make_token(cx_manager, "Not yours")
    assert client.post(f"/touchpoints/api-tokens/{others.pk}/revoke/").status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None
    assert Client().get("/touchpoints/api-tokens/")["Location"].startswith("/login/")


def test_token_writes_are_rate_limited_with_retry_after(cx_manager, settings):
    settings.TOUCHSTONE_TOKEN_WRITE_RATE = "2/min"
    _token, key = make_token(cx_manager, "Script")
    client = api(key)
    statuses = [
        client.post("/api/v1/complaints/", {}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]  # bad bodies still count as writes
    page = client.post("/api/v1/complaints/", {}, content_type="application/json")
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert client.get("/api/v1/complaints/").status_code == 200  # reads are not throttled
