import os
from pathlib import Path

from lib.handlers import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def warm_up() -> None:
    """Load now, in the process gunicorn forks its workers from (preload_app), what each
    worker's first requests would otherwise load: tens of milliseconds of a request's time,
    again after every recycling (max_requests). Opens no connection: those are each
    worker's own.
    - the URLconf, with every view;
    - the clients of Redis, of the cache and of the broker, loaded on first use;
    - the Celery app's tasks and message machinery, built on the first task sent;
    - the project's templates, compiled (the cached loader keeps them)."""
    import kombu.transport.redis  # noqa: F401
    import redis  # noqa: F401
    from django.conf import settings
    from django.core.cache import caches
    from django.template import engines
    from django.urls import get_resolver

    from config.celery_app import app

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    app.finalize(auto=True)
    app.amqp, app.backend, app.events  # noqa: B018
    for alias in settings.CACHES:
        # django-redis makes its client, still unconnected, on first use.
        getattr(caches.create_connection(alias), "client", None)
    engine = engines["django"]
    for folder in map(Path, settings.TEMPLATES[0]["DIRS"]):
        for template in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt")):
            engine.get_template(template.relative_to(folder).as_posix())


warm_up()
