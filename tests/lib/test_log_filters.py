"""Survey tokens never reach the logs, from Django or from gunicorn's access log."""

import contextlib
import logging
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.smtp import free_port
from tests.surveys.asking.test_views import GOOD, sent_invitation, url
from tests.worker import ROOT, wait_until

pytestmark = pytest.mark.django_db


def test_django_request_logs_carry_no_token(client, caplog):
    _invitation, token = sent_invitation()
    with caplog.at_level(logging.INFO):
        client.get(url("z" * 43))  # 404: "Not Found: /s/..."
        client.post(url(token), GOOD)
        client.post(url(token), GOOD)  # 409: "Conflict: /s/..."
    assert "Not Found" in caplog.text and "Conflict" in caplog.text
    assert token not in caplog.text and "z" * 43 not in caplog.text
    assert "/s/[token]" in caplog.text


def test_gunicorn_access_log_carries_no_token(tmp_path):
    """A real gunicorn with the project's config, asked for a survey link."""
    port, token = free_port(), "A" * 43
    access_log = tmp_path / "access.log"
    env = {**os.environ, "DEBUG": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--workers", "1",
         "--access-logfile", str(access_log), "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: _answers(port), timeout=20, message="gunicorn did not start")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{token}", timeout=5)
        wait_until(lambda: "/s/" in access_log.read_text(), timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert token not in access_log.read_text()
    assert "GET /s/[token]" in access_log.read_text()


def _answers(port) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
