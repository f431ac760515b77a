import os

from lib.handlers import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def warm_up() -> None:
    """Import the URLconf, with every view, and the clients of Redis and of the broker
    that are loaded on first use, now rather than in each worker's first requests (a second
    or more of imports those would wait for)."""
    import kombu.transport.redis  # noqa: F401
    import redis  # noqa: F401
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)


warm_up()
