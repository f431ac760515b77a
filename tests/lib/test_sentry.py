"""Optional error reporting: with a DSN, an error in a request reaches the server (here a
real HTTP server on 127.0.0.1) with its request id, and without the survey token."""

import gzip
import json

import pytest
import sentry_sdk
from django.urls import path

from lib.sentry import init_sentry
from tests.receiver import receiver


def broken(request, token):
    raise RuntimeError("the view broke")


urlpatterns = [path("s/<str:token>", broken)]


@pytest.fixture
def reporting():
    with receiver() as far_end:
        port = far_end.url.split(":")[2].split("/")[0]
        init_sentry(f"http://publickey@127.0.0.1:{port}/42", environment="test")
        yield far_end
        sentry_sdk.init(dsn=None)  # off again for the rest of the suite


def _events(far_end):
    events = []
    for headers, body in far_end.requests:
        if headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if "exception" in item:
                events.append(item)
    return events


REQUEST_ID = "5f1c2b9e8d7a4c3b9a1e2f3d4c5b6a79"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_is_reported_with_its_request_id_and_without_the_token(client, reporting):
    token = "Zx9" * 12
    with pytest.raises(RuntimeError):
        client.get(f"/s/{token}", HTTP_X_REQUEST_ID=REQUEST_ID)
    sentry_sdk.flush(timeout=5)
    [event] = _events(reporting)
    assert event["exception"]["values"][0]["value"] == "the view broke"
    assert event["tags"]["request_id"] == REQUEST_ID
    assert token not in json.dumps(event)
