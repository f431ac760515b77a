"""Every log line carries the request id: taken from X-Request-ID or made, sent back, and
carried into the Celery tasks a request queues; in production as one JSON object a line."""

import io
import json
import logging
from types import SimpleNamespace

import pytest

from lib.log_format import JsonFormatter, RequestIdFilter
from lib.request_id import TASK_HEADER, _send_along, _take_up, current
from surveys.tasks import heartbeat
from tests.worker import wait_until


@pytest.fixture
def json_lines():
    """What django.request logs, formatted as production formats it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_id_is_made_or_taken_and_sent_back(client):
    made = client.get("/login/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/login/", HTTP_X_REQUEST_ID="edge-4f2a9c1b")["X-Request-ID"] == (
        "edge-4f2a9c1b"
    )
    forged = client.get("/login/", HTTP_X_REQUEST_ID="bad id\nINFO forged line")
    assert forged["X-Request-ID"] != "bad id\nINFO forged line"


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id_as_json(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-12345678")
    line = json_lines()[-1]
    assert line["request_id"] == "trace-12345678" and line["level"] == "WARNING"
    assert line["logger"] == "django.request" and "Not Found" in line["message"]
    assert current.get() == "-"  # nothing leaks into the next request


def test_the_id_travels_with_a_task_and_comes_back_in_the_worker():
    headers = {}
    token = current.set("trace-abcdef12")
    try:
        _send_along(headers=headers)
    finally:
        current.reset(token)
    assert headers == {TASK_HEADER: "trace-abcdef12"}
    _take_up(task=SimpleNamespace(request=SimpleNamespace(**headers)))
    assert current.get() == "trace-abcdef12"
    _take_up(task=SimpleNamespace(request=SimpleNamespace()))
    assert current.get() == "-"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_id_of_the_request_that_queued_its_task(celery_worker):
    token = current.set("trace-from-web-01")
    try:
        heartbeat.delay()
    finally:
        current.reset(token)
    wait_until(lambda: "trace-from-web-01" in celery_worker.log(), message=celery_worker.log())
