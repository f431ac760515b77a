"""One error shape for the whole API: `{"detail": "..."}` for a refusal, `{"field":
["..."]}` for invalid input (errors not tied to a field under "non_field_errors"), and
a list of such objects, each with its "index", for a batch. Also for URLs under /api/
that match no route, which Django would answer with an HTML page."""

from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    data = getattr(response, "data", None)
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        response.data = {"non_field_errors": data}
    return response


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
