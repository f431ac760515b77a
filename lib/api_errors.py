"""One error shape for the whole API: `{"detail": "..."}` for a refusal, `{"field":
["..."]}` for invalid input (errors not tied to a field under "non_field_errors"), and
a list of such objects, each with its "index", for a batch. URLs under /api/ that match
no route get the same shape from lib/error_pages.py."""

from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    data = getattr(response, "data", None)
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        response.data = {"non_field_errors": data}
    return response
