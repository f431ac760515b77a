"""With Redis down, requests go on without the cache (answers and interactions are still
taken, throttles let them through) while /healthz names the outage."""

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone
from redis.exceptions import RedisError

from lib.cache import ForgivingRedisCache
from surveys.models import Response
from tests.factories import TouchpointFactory
from tests.surveys.test_survey_pages import GOOD, sent_invitation, url
from touchpoints.api_tokens import make_token
from touchpoints.models import Interaction, TokenScope

pytestmark = pytest.mark.django_db


def test_the_cache_reads_as_empty_and_forgets_writes(redis_down, caplog, monkeypatch):
    monkeypatch.setattr("lib.cache._last_logged", float("-inf"))  # not muted by an earlier test
    assert isinstance(caches["default"], ForgivingRedisCache)
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", 1) is None and cache.add("k", 1) is False
    assert cache.incr("k") == 1 and cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("figures", lambda: 42) == 42
    assert "Redis unavailable" in caplog.text
    with pytest.raises(RedisError):
        cache.ping()


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
