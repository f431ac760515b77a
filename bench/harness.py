"""What the HTTP benchmarks share: production settings for this process, a throwaway
PostgreSQL database, and gunicorn on 127.0.0.1 serving it (stopped, with its workers,
whatever happens)."""

import os
import sys
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

from tests.production_server import (  # noqa: E402, F401
    collect_static,
    production_server,
    throwaway_database,
)
from tests.smtp import free_port  # noqa: E402, F401
from tests.worker import start_worker  # noqa: E402


def celery_worker(queue: str):
    """A Celery worker process on `queue`, one task at a time, with DEBUG off as production
    runs it (the tests' workers run with it on)."""
    return start_worker(queue, concurrency=1, extra_env={"DEBUG": "0"})


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


@contextmanager
def gunicorn(port: int, workers: int, app: str = "config.wsgi"):
    """gunicorn as production runs it (access log off) on the throwaway database."""
    with production_server(
        connection.settings_dict["NAME"],
        port=port,
        workers=workers,
        app=app,
        log=sys.stderr,
        GUNICORN_TIMEOUT="120",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_CMD_ARGS="--log-level warning",
        TOKEN_WRITE_RATE="1000000/min",  # the limit is not what is measured
    ) as server:
        yield server.process
