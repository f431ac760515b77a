"""Outbound webhooks: events queued with the change that made them, POSTed signed to a
real HTTP server, retried with backoff, logged; the page is for CX managers only."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.db import transaction
from django.utils import timezone

from surveys.answers import record_response
from surveys.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from surveys.webhooks import MAX_ATTEMPTS, deliver_due, emit, new_secret, sign
from tests.receiver import receiver
from tests.worker import wait_until

from ..factories import InvitationFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

ALL_EVENTS = [event.value for event in WebhookEvent]


def hook(url, events=ALL_EVENTS, **extra):
    return Webhook.objects.create(url=url, events=events, secret=new_secret(), **extra)


def answer(nps):
    invitation = InvitationFactory()
    answers = {"expectation": 6, "experience": 2, "nps": nps, "comment": "On hold for ages"}
    return record_response(invitation, answers, "en")


def test_an_answer_is_told_signed_to_every_hook_that_wants_it(django_capture_on_commit_callbacks):
    with receiver() as far_end:
        wanted = hook(far_end.url)
        hook(far_end.url, events=[WebhookEvent.STANDARD_BREACHED])  # wants none of these
        hook(far_end.url, is_active=False)
        response = answer(nps=3)  # a detractor with a large gap: three events
        report = deliver_due()
    assert report.delivered == 3
    events = sorted(headers["X-Touchstone-Event"] for headers, _ in far_end.requests)
    assert events == ["follow_up.opened", "response.detractor", "response.received"]
    for headers, body in far_end.requests:
        expected = hmac.new(
            wanted.secret.encode(), f"{headers['X-Touchstone-Timestamp']}.".encode() + body,
            hashlib.sha256,
        ).hexdigest()  # fmt: skip
        assert headers["X-Touchstone-Signature"] == f"sha256={expected}"
        payload = json.loads(body)
        assert payload["data"]["response"] == response.pk
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_rolled_back_change_tells_nobody():
    hook("http://127.0.0.1:9/never")
    with transaction.atomic():
        emit((WebhookEvent.RESPONSE_RECEIVED, {"response": 1}))
        transaction.set_rollback(True)
    assert not WebhookDelivery.objects.exists()


def test_a_refusal_is_retried_with_backoff_under_the_same_delivery_id():
    with receiver(statuses=[500, 503]) as far_end:
        hook(far_end.url)
        emit((WebhookEvent.RESPONSE_RECEIVED, {"response": 1}))
        now = timezone.now()
        assert deliver_due(now).retrying == 1
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
        assert delivery.next_attempt_at >= now + dt.timedelta(seconds=59)
        assert deliver_due(now).retrying == 0  # not due yet
        deliver_due(now + dt.timedelta(minutes=1, seconds=1))
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_error) == (2, "HTTP 503")
        assert delivery.next_attempt_at >= now + dt.timedelta(minutes=3)
        assert deliver_due(now + dt.timedelta(minutes=4)).delivered == 1
    ids = {headers["X-Touchstone-Delivery"] for headers, _ in far_end.requests}
    assert len(far_end.requests) == 3 and ids == {str(delivery.delivery_id)}


def test_an_unreachable_url_fails_after_the_last_attempt():
    hook("http://127.0.0.1:9/closed")  # the discard port: connection refused
    emit((WebhookEvent.RESPONSE_RECEIVED, {"response": 1}))
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        deliver_due(later)
        later += dt.timedelta(days=1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error


def test_a_standard_breach_is_an_event(settings):
    from surveys.alerts import check_standards
    from tests.factories import InteractionFactory

    settings.TOUCHSTONE_STANDARD_ALERT_MIN_MEASURED = 2
    touchpoint = TouchpointFactory(target_wait_seconds=60)
    for _ in range(3):
        InteractionFactory(touchpoint=touchpoint, wait_seconds=600)
    with receiver() as far_end:
        hook(far_end.url, events=[WebhookEvent.STANDARD_BREACHED])
        from surveys.aggregation import rollups_drain_all

        rollups_drain_all()
        assert len(check_standards()) == 1
        deliver_due()
    payload = json.loads(far_end.requests[0][1])
    assert payload["event"] == "standard.breached"
    assert payload["data"]["touchpoint"] == touchpoint.pk and payload["data"]["met"] == 0


def test_the_signature_is_over_timestamp_and_body():
    assert sign("k", 1, b"{}") == "sha256=" + hmac.new(b"k", b"1.{}", hashlib.sha256).hexdigest()


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("head_a", 403), ("no_role_user", 403)])
def test_only_cx_managers_manage_webhooks(request, client_for, who, status):
    target = hook("https://example.com/hook")
    client = client_for(request.getfixturevalue(who))
    assert client.get("/webhooks/").status_code == status
    assert client.get(f"/webhooks/{target.pk}/").status_code == status
    assert client.post(f"/webhooks/{target.pk}/", {"action": "delete"}).status_code == status
    assert Webhook.objects.filter(pk=target.pk).exists()


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/webhooks/").status_code == 302


def test_a_cx_manager_adds_tests_pauses_and_removes_a_hook(client_for, cx_manager):
    client = client_for(cx_manager)
    bad = client.post("/webhooks/", {"url": "not a url", "events": ["nope"]})
    assert bad.status_code == 400 and {"url", "events"} <= set(bad.context["form"].errors)
    with receiver() as far_end:
        made = client.post("/webhooks/", {"url": far_end.url, "events": ["response.received"]})
        target = Webhook.objects.get()
        assert made.status_code == 302 and target.created_by == cx_manager
        page = client.get(f"/webhooks/{target.pk}/")
        assert target.secret in page.content.decode()
        client.post(f"/webhooks/{target.pk}/", {"action": "test"})
        deliver_due()
    assert far_end.requests[0][0]["X-Touchstone-Event"] == "ping"
    assert "Delivered" in client.get(f"/webhooks/{target.pk}/").content.decode()
    client.post(f"/webhooks/{target.pk}/", {"action": "pause"})
    target.refresh_from_db()
    assert not target.is_active
    client.post(f"/webhooks/{target.pk}/", {"action": "delete"})
    assert not Webhook.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_after_commit(celery_worker):
    with receiver() as far_end:
        hook(far_end.url, events=[WebhookEvent.RESPONSE_RECEIVED])
        answer(nps=9)
        wait_until(lambda: len(far_end.requests) == 1, message=celery_worker.log())
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").count() == 1,
            message=celery_worker.log(),
        )
