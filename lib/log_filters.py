"""Log filters: survey-link tokens kept out of every log (a token in an access log is a
working survey link for whoever reads the logs); client errors without tracebacks; an
outage's repeats muted."""

import logging
import re

_TOKEN_IN_PATH = re.compile(r"(/s/)[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSurveyTokens(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        return True


class OncePer(logging.Filter):
    """One record per `seconds` from a logger that repeats itself during an outage."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds, self.last = seconds, float("-inf")

    def filter(self, record):
        if record.created - self.last < self.seconds:
            return False
        self.last = record.created
        return True


class QuietClientErrors(logging.Filter):
    """A refused or unknown request (4xx) is the client's doing, not a bug: log its line
    without the traceback Django attaches to a PermissionDenied or a Http404."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
