"""Run a real Celery worker process for tests marked `worker`.

The worker is a separate `celery worker` process (prefork pool) talking to the real Redis
broker and the test database, so task arguments really go through JSON and on-commit
enqueueing really happens. Outside CI, without Redis the tests are skipped;
with TOUCHSTONE_REQUIRE_SERVICES=1 (set by .ci/run) a missing service fails the run.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from config.celery_app import app
from tests.production_server import database_url

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60


def services_required() -> bool:
    return os.environ.get("TOUCHSTONE_REQUIRE_SERVICES") == "1"


def _unavailable(reason: str):
    if services_required():
        pytest.fail(f"A real Celery worker is required here but {reason}.")
    pytest.skip(f"needs a real Celery worker: {reason}")


def test_database_url() -> str:
    return database_url(settings.DATABASES["default"]["NAME"])


class Worker:
    def __init__(self, name: str, process: subprocess.Popen, log_path: Path):
        self.name, self.process, self.log_path = name, process, log_path

    @property
    def nodename(self) -> str:
        return f"{self.name}@touchstone-test"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited at start:\n{self.log()}")
            if app.control.ping(destination=[self.nodename], timeout=0.5):
                return
        raise RuntimeError(f"Celery worker not ready in {READY_TIMEOUT}s:\n{self.log()}")

    def kill(self):
        """SIGKILL the worker and its pool processes at once, as a crash or OOM kill would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            # Cold shutdown: the tasks are idempotent, and a warm one waits out held ETA tasks.
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def require_services():
    if not settings.REDIS_URL:
        _unavailable("REDIS_URL is not set")


@contextlib.contextmanager
def own_queue():
    """Tasks sent from this process go to a queue of their own while inside the block, so
    a developer's worker on the same Redis never takes them."""
    queue = f"touchstone-test-{uuid.uuid4().hex[:10]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous_queue


def start_worker(
    queue: str, name: str = "w1", concurrency: int = 2, extra_env: dict | None = None
) -> Worker:
    """Start a `celery worker` process on `queue` against the test database; wait until ready.
    extra_env adds settings, e.g. EMAIL_URL for a test's SMTP server."""
    log_path = ROOT / "var" / f"{queue}-{name}.log"
    log_path.parent.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "DEBUG": "1",
        # The tests' webhook receivers listen on this machine.
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        **(extra_env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork",
        "-Q", queue, "-n", f"{name}.{queue}@touchstone-test", "--without-gossip",
        "--without-mingle",
    ]  # fmt: skip
    with log_path.open("a") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    worker = Worker(f"{name}.{queue}", process, log_path)
    worker.wait_ready()
    return worker


@contextlib.contextmanager
def running_worker(concurrency: int = 2, extra_env: dict | None = None):
    require_services()
    with own_queue() as queue:
        worker = start_worker(queue, concurrency=concurrency, extra_env=extra_env)
        try:
            yield worker
        finally:
            worker.stop()
            worker.log_path.unlink(missing_ok=True)


def wait_until(condition, timeout: float = 30, interval: float = 0.1, message: str = ""):
    """Poll until condition() is truthy; fail with a message after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout}s")
