"""The app as production runs it, for browser tests, benchmarks and screenshots: gunicorn
with config/gunicorn.py, DEBUG off, the production middleware, headers and CSP, static
files from whitenoise's compressed manifest. Served over plain HTTP on 127.0.0.1, so only
the TLS-only settings are relaxed, each by its environment variable."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "var" / "staticfiles-production"
START_TIMEOUT = 60

PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


@dataclass
class Server:
    url: str
    process: subprocess.Popen


def database_url(name: str) -> str:
    """DATABASE_URL of this process's server with another database's name."""
    url = urlsplit(settings.DATABASE_URL)
    return urlunsplit(url._replace(path="/" + quote(name)))


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production process; `extra` adds to or overrides it."""
    return {
        **os.environ,
        "DEBUG": "0",
        # This process's key, so links it derives open on the server and the other way.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(STATIC_ROOT),
        "LOG_FORMAT": "plain",
        **PLAIN_HTTP,
        **extra,
    }


@contextlib.contextmanager
def throwaway_database(name: str):
    """A fresh, migrated database on this process's server, which this process then uses;
    dropped afterwards. For a run that must not meet anyone's data."""
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def collect_static() -> None:
    """The hashed, compressed static files that DEBUG-off pages link to."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=production_env(),
        check=True,
    )


@contextlib.contextmanager
def production_server(
    database: str,
    *,
    port: int | None = None,
    workers: int = 2,
    app: str = "config.wsgi",
    log=subprocess.DEVNULL,
    **extra: str,
):
    """gunicorn on 127.0.0.1 (a free port unless given) serving `database`; stopped with its
    workers. `extra`: more environment (EMAIL_URL, CELERY_QUEUE, ...); `log`: where its
    output goes."""
    port = port or free_port()
    env = production_env(
        **{
            "DATABASE_URL": database_url(database),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "SITE_URL": f"http://127.0.0.1:{port}",
            **extra,
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", app],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(port, process)
        yield Server(f"http://127.0.0.1:{port}", process)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} in {START_TIMEOUT} s")
