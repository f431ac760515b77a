"""Role fixtures (CX manager, head of A, head of B, a user with no role) and the real
Celery worker fixture."""

import contextlib
import time
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import OperationalError
from django.test import TransactionTestCase

from config.celery_app import app
from surveys.enqueue import forget_wake_ups
from tests.clients import ClientByPath
from tests.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.smtp import free_port, smtp_server, use_smtp
from tests.worker import running_worker
from touchpoints.roles import CX_MANAGERS_GROUP

pytest_plugins = []

DEADLOCK_RETRIES = 3


@pytest.fixture(autouse=True, scope="session")
def emptying_tables_outlasts_a_deadlock():
    """A transactional test ends by emptying every table, while the worker or server it
    drove may still be committing its last task; PostgreSQL then fails one of the two
    (a deadlock). The task is retried by design; emptying the tables is tried again."""
    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        for attempt in range(DEADLOCK_RETRIES):
            try:
                return original(self)
            except (OperationalError, CommandError) as error:
                # flush raises a CommandError of its own, caused by the database's error.
                reported = f"{error} {error.__cause__}"
                if "deadlock detected" not in reported or attempt == DEADLOCK_RETRIES - 1:
                    raise
                time.sleep(0.5)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def department_a(db):
    return DepartmentFactory(name="Customer Service")


@pytest.fixture
def department_b(db):
    return DepartmentFactory(name="Sales")


@pytest.fixture
def cx_manager(db):
    user = UserFactory(username="casey")
    # get_or_create: transactional tests flush the group made by the data migration.
    user.groups.add(Group.objects.get_or_create(name=CX_MANAGERS_GROUP)[0])
    return user


@pytest.fixture
def head_a(department_a):
    user = UserFactory(username="head-a")
    department_a.heads.add(user)
    return user


@pytest.fixture
def head_b(department_b):
    user = UserFactory(username="head-b")
    department_b.heads.add(user)
    return user


@pytest.fixture
def staff_a(department_a):
    """A front-line staff member of department A, signed in through their Staff record."""
    user = UserFactory(username="staff-a")
    StaffFactory(name="Sam Agent", department=department_a, user=user, email="sam@example.com")
    return user


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def client():
    """pytest-django's client, with production's middleware stacks."""
    return ClientByPath()


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user (None: anonymous)."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on Redis, consuming a queue of this test session."""
    with running_worker() as worker:
        yield worker


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is deliberately slow; tests log in often and prove nothing by waiting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that Django's mail is pointed at; yields its handler."""
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller)
        handler.controller = controller
        yield handler


@contextlib.contextmanager
def _tasks_eager(eager: bool):
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def eager_tasks():
    """Tasks queued on commit run in this process, for transactional tests that are not
    about the worker and must not leave messages on the shared broker."""
    with _tasks_eager(True):
        yield


@pytest.fixture
def broker_tasks():
    """Tasks are sent to a broker as in production, even where this run has none and so
    runs them eagerly: for tests of how wake-ups are sent."""
    with _tasks_eager(False):
        yield


@pytest.fixture(autouse=True)
def own_cache_keys(settings):
    """Counters kept in the shared Redis (link throttling, wake-up windows) start from zero
    in every test, without flushing a database that others use."""
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"touchstone-test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    forget_wake_ups()  # what this process knew of the old keys


@pytest.fixture
def redis_down(settings):
    """Redis configured as in production, but nothing listens at its address."""
    settings.REDIS_URL = "redis://down"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
