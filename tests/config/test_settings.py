"""Deploy knobs come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


DEFAULT_SHOWN = (
    "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
    " settings.EMAIL_BACKEND"
)


def run_settings(shown=DEFAULT_SHOWN, **env):
    """Load the settings in a fresh process with `env`; it prints `shown`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c",
         f"import django; django.setup(); from django.conf import settings; print({shown})"],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_production_without_secret_key_fails_with_a_clear_message():
    result = run_settings(DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_embedded_default_is_postgresql_eager_celery_and_file_outbox():
    shown = f"{DEFAULT_SHOWN}, settings.DATABASE_URL"
    result = run_settings(shown, DEBUG="1", DATABASE_URL="", REDIS_URL="", EMAIL_URL="")
    assert result.returncode == 0, result.stderr
    engine, eager, backend, url = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert url.endswith(f"/touchstone?host={ROOT}/var/postgres")
    assert eager == "True"
    assert backend == "django.core.mail.backends.filebased.EmailBackend"


def test_a_database_other_than_postgresql_is_refused_with_a_clear_message():
    result = run_settings(DEBUG="1", DATABASE_URL="sqlite:///var/old.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must name a PostgreSQL database" in result.stderr


def test_services_come_from_urls():
    result = run_settings(
        DEBUG="1",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://127.0.0.1:2525",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.django_db
def test_postgresql_connections_plan_for_a_cached_working_set():
    # With the spinning-disk default (4), a batch's 500 key lookups scan whole tables.
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_a_page_cost_that_is_not_a_number_is_named():
    result = run_settings(
        DEBUG="1",
        DATABASE_URL="postgres://touchstone@127.0.0.1:5432/touchstone",
        DATABASE_RANDOM_PAGE_COST="fast",
    )
    assert result.returncode != 0
    assert "DATABASE_RANDOM_PAGE_COST must be a number, not 'fast'" in result.stderr


def test_the_page_cost_joins_the_connection_options_of_the_url():
    result = run_settings(
        "settings.DATABASES['default']['OPTIONS']['options']",
        DEBUG="1",
        DATABASE_URL="postgres://touchstone@127.0.0.1:5432/touchstone?options=-c%20work_mem%3D64MB",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c work_mem=64MB -c random_page_cost=1.1"
