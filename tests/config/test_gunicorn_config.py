"""config/gunicorn.py takes each knob from the environment."""

import runpy

from tests.worker import ROOT


def gunicorn_settings() -> dict:
    return runpy.run_path(str(ROOT / "config" / "gunicorn.py"))


def test_the_access_log_goes_to_stdout_unless_turned_off(monkeypatch):
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    assert gunicorn_settings()["accesslog"] == "-"
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    assert gunicorn_settings()["accesslog"] is None  # gunicorn then formats no line at all
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "/var/log/touchstone/access.log")
    assert gunicorn_settings()["accesslog"] == "/var/log/touchstone/access.log"


def test_workers_and_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    settings = gunicorn_settings()
    assert (settings["workers"], settings["threads"]) == (7, 2)
