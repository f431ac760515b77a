"""A real browser against the app as production runs it: Playwright driving Debian's
Chromium, gunicorn with DEBUG off serving the test database (tests/production_server.py),
mail to an in-process SMTP server, and with Redis a real Celery worker (else Celery runs
eagerly inside gunicorn, as the embedded default does).

Tests here commit what they make (`django_db(transaction=True)`), since gunicorn reads it
through its own connections. Every page is watched: a script error, a console error (a
refused request or a CSP violation shows there), a request that fails or a server error
fails the test, unless the test says it expects it.
"""

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.production_server import collect_static, production_server
from tests.smtp import free_port, smtp_server
from tests.worker import own_queue, services_required, start_worker

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Small enough that a browser test's handful of answers shows scores.
MIN_SAMPLE = "10"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (make browser installs it)"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


class QuickPBKDF2(PBKDF2PasswordHasher):
    """Hashes gunicorn can check (same algorithm, the iterations are in the hash) that
    cost a test little to make."""

    iterations = 1_000


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.browser.conftest.QuickPBKDF2"]


@pytest.fixture(scope="session")
def mailbox():
    """The SMTP server the app sends to, for the whole session; emptied before each test."""
    with smtp_server() as (controller, handler):
        handler.controller = controller
        yield handler


@pytest.fixture(scope="session")
def app_server(django_db_setup, mailbox, tmp_path_factory):
    """gunicorn as production runs it, on the test database."""
    collect_static()
    log = (tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").open("w")
    port = free_port()
    env = {
        "SITE_URL": f"http://127.0.0.1:{port}",  # the links in the emails the worker sends
        "EMAIL_URL": f"smtp://{mailbox.controller.hostname}:{mailbox.controller.port}",
        "TOUCHSTONE_MIN_SAMPLE": MIN_SAMPLE,
        "CACHE_KEY_PREFIX": f"touchstone-browser-{uuid.uuid4().hex[:10]}",
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",  # the tests' receivers listen here
    }
    with contextlib.ExitStack() as stack:
        if settings.REDIS_URL:
            # Tasks queued by gunicorn and by this process go to a worker of this session.
            queue = stack.enter_context(own_queue())
            worker = start_worker(queue, name="browser", extra_env=env)
            stack.callback(worker.stop)
            env["CELERY_QUEUE"] = queue
        database = settings.DATABASES["default"]["NAME"]
        server = stack.enter_context(production_server(database, port=port, log=log, **env))
        server.log_path = Path(log.name)
        yield server


@pytest.fixture(autouse=True)
def empty_mailbox(request):
    if "mailbox" in request.fixturenames:
        request.getfixturevalue("mailbox").messages.clear()


class Watched:
    """What went wrong on a page: script errors, CSP violations, console errors, failed
    requests and server errors. Status codes a test provokes (a 403) can be allowed."""

    def __init__(self, page):
        self.script_errors, self.console_errors, self.failed = [], [], []
        self.violations: list[str] = []
        self.allowed_statuses: set[int] = set()
        page.expose_function("reportViolation", lambda text: self.violations.append(text))
        # Injected by the browser's debugging protocol, so the page's CSP does not apply.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.reportViolation(e.violatedDirective + ' ' + e.blockedURI))"
        )
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on("console", self._console)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error" and not self._allowed_status_message(message.text):
            self.console_errors.append(message.text)

    def _allowed_status_message(self, text: str) -> bool:
        # Chromium logs every 4xx/5xx document as a console error of this form.
        return any(f"status of {status}" in text for status in self.allowed_statuses)

    def _request_failed(self, request):
        # Aborted: the browser cancelled it (a navigation, a closing page, a download handed
        # to the download manager). Server faults arrive as responses; CSP blocks as
        # violations and ERR_BLOCKED_BY_*.
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400 and response.status not in self.allowed_statuses:
            self.failed.append(f"{response.request.method} {response.url}: {response.status}")

    @contextlib.contextmanager
    def expecting(self, *statuses: int):
        """Responses with these statuses are what the block provokes, not a problem."""
        self.allowed_statuses.update(statuses)
        try:
            yield
        finally:
            self.allowed_statuses.difference_update(statuses)

    def problems(self) -> list[str]:
        return self.script_errors + self.violations + self.console_errors + self.failed


def open_context(chromium, server, **options):
    context = chromium.new_context(base_url=server.url, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def browser_context(chromium, app_server):
    """new(**options) → a page in a fresh context (cookies, cache) against the server,
    watched; each page must end with nothing wrong."""
    contexts, pages = [], []

    def new(**options):
        context = open_context(chromium, app_server, **{**DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        page.watched = Watched(page)
        pages.append(page)
        return page

    yield new
    for context in contexts:
        context.close()
    for page in pages:
        assert page.watched.problems() == [], f"on {page.url}: {page.watched.problems()}"


@pytest.fixture
def page(browser_context):
    return browser_context()


def log_in(page, username, password="secret-password"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
