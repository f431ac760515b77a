"""The ceiling for bench/load.py: the project's settings and database, one view reading
one row, no middleware, behind the same gunicorn settings."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import path


def one_row(request):
    from touchpoints.models import Touchpoint

    touchpoint = Touchpoint.objects.values("pk", "name").first()
    return JsonResponse(touchpoint or {})


urlpatterns = [path("", one_row)]
settings.ROOT_URLCONF = __name__
settings.MIDDLEWARE = []
application = get_wsgi_application()
