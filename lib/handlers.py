"""Two middleware stacks, chosen by path. A customer's survey link (/s/...) needs none of
the staff pages' sessions, sign-in, messages, htmx, lockout or static files: those would
run on every answer, at the peak of a campaign, for nothing. Both stacks share the
security headers, the CSP, CSRF and the request id (settings.SURVEY_MIDDLEWARE)."""

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

SURVEY_PATH_PREFIX = "/s/"


class SurveyStack:
    """A handler mixin: settings.SURVEY_MIDDLEWARE in place of settings.MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        # Django reads the list from settings; swapped only while this handler is built,
        # once per process, before any request.
        staff_middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.SURVEY_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = staff_middleware


class SurveyHandler(SurveyStack, WSGIHandler):
    pass


class HandlerByPath:
    """Survey links to the survey handler, every other path to the staff one."""

    def __init__(self, staff, survey):
        self.staff, self.survey = staff, survey

    def __call__(self, environ, *args):
        path = environ.get("PATH_INFO", "")
        handler = self.survey if path.startswith(SURVEY_PATH_PREFIX) else self.staff
        return handler(environ, *args)


def get_wsgi_application() -> HandlerByPath:
    """As django.core.wsgi.get_wsgi_application, with the two stacks."""
    django.setup(set_prefix=False)
    return HandlerByPath(staff=WSGIHandler(), survey=SurveyHandler())
