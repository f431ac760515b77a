"""Error pages for the three kinds of visitor: JSON under /api/, the survey's look in the
customer's language under /s/, the app's own look everywhere else. Never a bare page or
a debug page in production (DEBUG off)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

from lib.handlers import SURVEY_PATH_PREFIX

API_PATH_PREFIX = "/api/"
API_MESSAGES = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Server error.",
}


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def not_found(request, exception=None):
    return _error_page(request, 404)


def server_error(request):
    return _error_page(request, 500)


def csrf_failure(request, reason=""):
    """A form sent without its page's token, or from another site: usually a page left
    open across a sign-out, so the page says to reload it."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse({"detail": f"CSRF failed: {reason}"}, status=403)
    return _error_page(request, 403, name="403_csrf")


def _error_page(request, status: int, name: str | None = None) -> HttpResponse:
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse({"detail": API_MESSAGES[status]}, status=status)
    if request.path.startswith(SURVEY_PATH_PREFIX):
        # In the language the survey stack's locale middleware took from the browser.
        context = {
            "company": settings.TOUCHSTONE_COMPANY_NAME,
            "LANGUAGE_CODE": translation.get_language(),
        }
        html = render_to_string(f"surveys/public/errors/{name or status}.html", context)
        response = HttpResponse(html, status=status)
        response["Referrer-Policy"] = "no-referrer"
        return response
    # A 500 renders without the request's context: what failed may be a context processor.
    html = render_to_string(
        f"errors/{name or status}.html", request=None if status == 500 else request
    )
    return HttpResponse(html, status=status)
