"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`. Each knob from the env."""

import gc
import os

from gunicorn.glogging import Logger

from lib.log_filters import redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The app is loaded once, before the workers fork: they start warm (config/wsgi.py) and
# share its memory, and a worker recycled by max_requests is ready at once.
preload_app = True
# "-" is stdout; empty turns the access log off (a proxy in front often keeps one).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class TokenRedactingLogger(Logger):
    """The access log without survey-link tokens in the request line and path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            atoms[key] = redact(atoms[key])
        return atoms


logger_class = TokenRedactingLogger


def pre_fork(server, worker):
    # What the master loaded stays out of the workers' garbage collections, and their
    # pages shared (a collection would touch, and so copy, every object).
    gc.freeze()
