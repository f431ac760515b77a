"""Log records as one JSON object per line (LOG_FORMAT=json, the production default), with
the request id (lib/request_id.py) and, in a worker, the task."""

import datetime as dt
import json
import logging

from lib.request_id import current


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in ("task_name", "task_id", "status_code"):
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
