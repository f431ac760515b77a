"""What the HTTP benchmarks share: production settings for this process, a throwaway
PostgreSQL database, and gunicorn on 127.0.0.1 serving it (stopped, with its workers,
whatever happens)."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings for this process too: it makes tokens and links the server checks.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


@contextmanager
def throwaway_database(name: str):
    """A fresh, migrated PostgreSQL database for the run, dropped afterwards."""
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def analyze() -> None:
    """The planner's statistics for what the world wrote, as autovacuum keeps them on a
    live server. Without them (a new database, or a server running with autovacuum off,
    as some do) PostgreSQL guesses row counts and may scan whole tables where one index
    probe per key is enough."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def integration_token(username: str) -> str:
    """The key of an integration token of a new CX manager: what an integration posts with."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory
    from touchpoints.api_tokens import make_token
    from touchpoints.models import TokenScope
    from touchpoints.roles import CX_MANAGERS_GROUP

    manager = UserFactory(username=username)
    manager.groups.add(Group.objects.get_or_create(name=CX_MANAGERS_GROUP)[0])
    return make_token(manager, "bench", TokenScope.INTEGRATION)[1]


class CpuMeter:
    """CPU time by role between two readings of /proc: the web (gunicorn's process group),
    the Celery worker's group, PostgreSQL's processes and this process (the benchmark's
    own client). A process's reaped children count with it, so a gunicorn worker recycled
    meanwhile still counts, through its master."""

    def __init__(self, web: int, worker: int | None = None):
        self.groups = {web: "web", **({worker: "worker"} if worker else {})}

    def read(self) -> dict[str, float]:
        seconds: dict[str, float] = {}
        tick = 1 / os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    comm, _, rest = stat.read().rpartition(")")
            except OSError:  # it exited meanwhile
                continue
            fields = rest.split()
            role = self._role(int(entry), int(fields[2]), comm.partition("(")[2])
            if role:
                ticks = sum(int(value) for value in fields[11:15])  # own and reaped, user+sys
                seconds[role] = seconds.get(role, 0.0) + ticks * tick
        return seconds

    def _role(self, pid: int, group: int, name: str) -> str | None:
        if pid == os.getpid():
            return "client"
        if name == "postgres":
            return "database"
        return self.groups.get(group)

    @staticmethod
    def per_request(before: dict, after: dict, requests: int) -> str:
        """ms of CPU a request, by role: 'web 3.9 ms, database 1.5 ms, ...'."""
        return ", ".join(
            f"{role} {1000 * (after[role] - before.get(role, 0.0)) / requests:.2f} ms"
            for role in ("web", "database", "worker", "client")
            if role in after
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(port: int, workers: int, app: str = "config.wsgi"):
    """gunicorn with config/gunicorn.py (access log off) on the throwaway database."""
    s = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_TIMEOUT": "120",
        "SECURE_SSL_REDIRECT": "0",
        "TOKEN_WRITE_RATE": "1000000/min",  # the limit is not what is measured
        "GUNICORN_ACCESS_LOG": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
         "--error-logfile", "-", "--log-level", "warning", app],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(port, server)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")
