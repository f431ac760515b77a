"""With Redis down, requests go on without the cache (answers and interactions are still
taken, throttles let them through) while /healthz names the outage."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from lib.log_filters import OncePer
from surveys.models import Response
from tests.factories import TouchpointFactory
from tests.surveys.asking.test_views import GOOD, sent_invitation, url
from touchpoints.api_tokens import make_token
from touchpoints.models import Interaction, TokenScope

pytestmark = pytest.mark.django_db


def test_the_cache_reads_as_empty_and_forgets_writes(redis_down, caplog):
    assert cache.get("k", "fallback") == "fallback"
    assert not cache.set("k", 1) and not cache.add("k", 1)
    assert cache.incr("k") is None and cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("figures", lambda: 42) == 42
    assert "Exception ignored" in caplog.text
    with pytest.raises(RedisError):
        get_redis_connection("default").ping()


def test_an_outage_is_logged_once_every_ten_seconds():
    muted = OncePer(seconds=10)
    records = [logging.makeLogRecord({"created": 1000.0 + second}) for second in range(25)]
    assert [record.created - 1000 for record in records if muted.filter(record)] == [0, 10, 20]


def test_a_customer_answers_and_an_integration_posts_while_redis_is_down(
    redis_down, client, cx_manager, department_a
):
    invitation, token = sent_invitation()
    page = client.post(url(token), GOOD)
    assert page.status_code == 200 and b"Thank you" in page.content
    assert Response.objects.filter(invitation=invitation).exists()

    key = make_token(cx_manager, "till", TokenScope.INTEGRATION)[1]
    place = TouchpointFactory(department=department_a)
    answer = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        "/api/v1/interactions/",
        {
            "touchpoint": place.pk,
            "customer": {"email": "ann@example.com"},
            "occurred_at": timezone.now().isoformat(),
            "outcome": "resolved",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert Interaction.objects.filter(touchpoint=place).count() == 1

    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["redis"].startswith("failing")
