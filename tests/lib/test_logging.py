"""Log lines are written once, and a refused request is one line, not a traceback."""

import logging

import pytest

from lib.log_filters import QuietClientErrors

pytestmark = pytest.mark.django_db


def test_djangos_lines_go_only_through_the_root_handler():
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate


def test_a_refused_request_is_logged_without_a_traceback(client_for, head_a, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_for(head_a).get("/webhooks/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "Forbidden" in record.getMessage()


def test_a_server_error_keeps_its_traceback():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    record.status_code, record.exc_info = 500, (RuntimeError, RuntimeError("x"), None)
    QuietClientErrors().filter(record)
    assert record.exc_info is not None
