"""A request id on every log line: taken from the proxy's X-Request-ID (or made), sent
back in the response, and carried into the Celery tasks the request queues, so one
customer's answer can be followed from the web log into the worker's."""

import contextvars
import re
import uuid

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
TASK_HEADER = "touchstone_request_id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

current = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex
        # Set until the request is finished, not only while the middleware runs: Django
        # logs a 4xx/5xx after the middleware has returned.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _request_done(**kwargs):
    current.set("-")


@signals.before_task_publish.connect
def _send_along(headers=None, **kwargs):
    request_id = current.get()
    if headers is not None and request_id != "-":
        headers[TASK_HEADER] = request_id


@signals.task_prerun.connect
def _take_up(task=None, **kwargs):
    request = getattr(task, "request", None)
    current.set(getattr(request, TASK_HEADER, None) or "-")


@signals.task_postrun.connect
def _put_down(**kwargs):
    current.set("-")
