import pytest

from ..smtp import free_port


@pytest.fixture
def redis_down(settings):
    """Redis configured as in production, but nothing listens at its address."""
    settings.REDIS_URL = "redis://down"
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
