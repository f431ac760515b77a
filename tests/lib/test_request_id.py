"""Every log line carries the request id: taken from X-Request-ID (a UUID) or made, sent
back, and carried into the Celery tasks a request queues; in production as one JSON
object a line, without the request's URL and so without a survey link's token."""

import datetime as dt
import io
import json
import logging
import uuid

import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from django_guid import get_guid, set_guid

from surveys.tasks import heartbeat
from tests.worker import wait_until


def made(config: dict):
    """A filter or formatter as settings.LOGGING configures it."""
    config = dict(config)
    return import_string(config.pop("()"))(**config)


@pytest.fixture
def json_lines():
    """What django.request logs, formatted as production formats it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(made(settings.LOGGING["filters"]["request_id"]))
    handler.setFormatter(made(settings.LOGGING["formatters"]["json"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_id_is_made_or_taken_and_sent_back(client):
    assert len(client.get("/login/")["X-Request-ID"]) == 32
    offered = uuid.uuid4().hex
    assert client.get("/login/", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered
    forged = client.get("/login/", HTTP_X_REQUEST_ID="bad id\nINFO forged line")
    assert forged["X-Request-ID"] != "bad id\nINFO forged line"


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id_as_json_and_no_token(client, json_lines):
    offered = uuid.uuid4().hex
    client.get("/s/AbCdEfGhIjKlMnOpQrStUv1234567890/", HTTP_X_REQUEST_ID=offered)
    line = json_lines()[-1]
    assert line["request_id"] == offered and line["level"] == "WARNING"
    assert line["logger"] == "django.request" and line["status_code"] == 404
    assert line["time"].startswith(str(dt.datetime.now(dt.UTC).year)) and "request" not in line
    assert "AbCdEfGh" not in json.dumps(line)
    assert get_guid() is None  # nothing leaks into the next request


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_id_of_the_request_that_queued_its_task(celery_worker):
    request_id = uuid.uuid4().hex
    set_guid(request_id)
    try:
        heartbeat.delay()
    finally:
        set_guid(None)
    wait_until(lambda: request_id in celery_worker.log(), message=celery_worker.log())
