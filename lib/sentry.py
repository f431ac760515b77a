"""Optional error reporting to Sentry (or a compatible server) when SENTRY_DSN is set:
errors of web requests and Celery tasks, with the request id as a tag, no personal data,
and survey tokens cut out of URLs before anything leaves the machine."""

from django_guid import get_guid

from lib.log_filters import redact


def init_sentry(dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        include_local_variables=False,  # a frame's locals hold answers, emails, tokens
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
    )


def scrub(event: dict, hint: dict) -> dict:
    request = event.get("request") or {}
    for key in ("url", "query_string"):
        if isinstance(request.get(key), str):
            request[key] = redact(request[key])
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        if isinstance(crumb.get("message"), str):
            crumb["message"] = redact(crumb["message"])
    event.setdefault("tags", {})["request_id"] = get_guid()
    return event
