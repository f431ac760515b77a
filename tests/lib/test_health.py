"""/healthz for load balancers and monitoring: database, Redis, and a fresh heartbeat."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from lib.health import HEARTBEAT_KEY, beat
from tests.worker import require_services

pytestmark = pytest.mark.django_db


def test_the_embedded_mode_is_healthy_with_its_database(settings):
    settings.REDIS_URL = ""
    page = Client().get("/healthz")
    assert page.status_code == 200
    assert page.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not used",
        "workers": "not used",
    }
    assert "no-cache" in page["Cache-Control"]


def test_with_redis_a_fresh_heartbeat_is_healthy_and_a_stale_one_is_not():
    require_services()
    assert Client().get("/healthz").json()["workers"] == "no heartbeat yet"
    beat()
    assert Client().get("/healthz").status_code == 200
    stale = timezone.now() - dt.timedelta(minutes=10)
    cache.set(HEARTBEAT_KEY, stale.isoformat())
    page = Client().get("/healthz")
    assert page.status_code == 503
    assert page.json()["status"] == "failing" and page.json()["workers"].startswith(
        "last heartbeat"
    )


def test_an_unreachable_redis_is_a_503_that_names_it(redis_down):
    page = Client().get("/healthz")
    assert page.status_code == 503
    assert page.json()["redis"].startswith("failing:") and page.json()["database"] == "ok"
