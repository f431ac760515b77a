"""Outbound webhooks: events queued with the change that made them, POSTed signed to a
real HTTP server, retried with backoff, logged; the page is for CX managers only."""

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import socketserver
import threading

import pytest
from django.db import transaction
from django.utils import timezone

from surveys.asking.answers import record_response
from surveys.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from surveys.telling.webhooks import MAX_ATTEMPTS, deliver_due, emit, new_secret, sign
from tests.factories import InvitationFactory, TouchpointFactory
from tests.receiver import receiver
from tests.worker import wait_until

pytestmark = pytest.mark.django_db

ALL_EVENTS = [event.value for event in WebhookEvent]


@pytest.fixture(autouse=True)
def local_receivers(settings):
    """The receivers of these tests listen on this machine: a network allowed on purpose."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


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
    from surveys.telling.alerts import check_standards
    from tests.factories import InteractionFactory

    settings.TOUCHSTONE_STANDARD_ALERT_MIN_MEASURED = 2
    touchpoint = TouchpointFactory(target_wait_seconds=60)
    for _ in range(3):
        InteractionFactory(touchpoint=touchpoint, wait_seconds=600)
    with receiver() as far_end:
        hook(far_end.url, events=[WebhookEvent.STANDARD_BREACHED])
        from surveys.counting.aggregation import rollups_drain_all

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
        made = client.post(
            "/webhooks/", {"url": far_end.url, "format": "json", "events": ["response.received"]}
        )
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


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8103/healthz",  # the app itself
        "http://localhost/",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_a_hook_to_an_internal_address_is_refused_at_save(client_for, cx_manager, settings, url):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    page = client_for(cx_manager).post(
        "/webhooks/", {"url": url, "events": [WebhookEvent.RESPONSE_RECEIVED]}
    )
    assert page.status_code == 400 and "internal address" in page.content.decode()
    assert not Webhook.objects.exists()


def test_a_hook_whose_address_turned_internal_is_not_called_at_send(settings):
    """Saved while public, resolving inside by the time it is sent (DNS rebinding): the
    send checks again, calls nothing and records why."""
    with receiver() as far_end:
        hooked = hook(far_end.url, events=[WebhookEvent.RESPONSE_RECEIVED])
        settings.WEBHOOK_ALLOWED_NETWORKS = []
        emit((WebhookEvent.RESPONSE_RECEIVED, {"response": 1}))
        report = deliver_due()
    assert far_end.requests == [] and report.retrying == 1
    delivery = WebhookDelivery.objects.get(webhook=hooked)
    assert "internal address" in delivery.last_error


def test_a_port_that_does_not_speak_http_fails_alone(django_capture_on_commit_callbacks):
    """A hook at a port that answers garbage (no HTTP status line) is retried and given up
    alone; the hooks after it in the batch are delivered."""
    with not_http() as port, receiver() as far_end:
        broken = hook(f"http://127.0.0.1:{port}/", events=[WebhookEvent.RESPONSE_RECEIVED])
        fine = hook(far_end.url, events=[WebhookEvent.RESPONSE_RECEIVED])
        emit((WebhookEvent.RESPONSE_RECEIVED, {"response": 1}))
        report = deliver_due()
        assert report.delivered == 1 and report.retrying == 1
        assert WebhookDelivery.objects.get(webhook=fine).status == DeliveryStatus.DELIVERED
        bad = WebhookDelivery.objects.get(webhook=broken)
        assert bad.status == DeliveryStatus.PENDING and "BadStatusLine" in bad.last_error
        WebhookDelivery.objects.filter(pk=bad.pk).update(attempts=MAX_ATTEMPTS - 1)
        assert deliver_due(timezone.now() + dt.timedelta(days=1)).failed == 1
    assert WebhookDelivery.objects.get(pk=bad.pk).status == DeliveryStatus.FAILED


@contextlib.contextmanager
def not_http():
    """A TCP server that answers every connection with a line that is not HTTP."""
    server = socketserver.TCPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class _Garbage(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(65536)
        self.request.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
