"""Schemathesis against the OpenAPI schema: every operation, as a CX manager and as a
department head (by token), with bounded examples: no 5xx, and every response (status,
content type, body) as the schema says."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application
from tests.factories import FollowUpFactory, JourneyFactory, StageFactory, StepFactory
from touchpoints.api_tokens import make_token

EXAMPLES = 25
# No server error; every answer as the schema says (status, content type, headers, body);
# no operation that works without the token. (Whether a filter should reject an unknown id
# or return nothing is the API's choice, not a schema violation.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,  # and no operation works without the token
]


# The schema as served at /api/schema/ (made at collection: it needs no database), sent to
# the WSGI application in-process.
schema = schemathesis.openapi.from_dict(
    json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder)
    )
)
schema.app = application
# Schemathesis's coverage phase (every boundary of every parameter) alone takes minutes per
# role; the examples and random fuzzing phases stay, bounded by EXAMPLES.
schema.config.phases.coverage.enabled = False


@pytest.fixture(autouse=True)
def one_connection():
    """Requests go to the WSGI application in this process and this test's transaction;
    as Django's test client does, the end of a request must not close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(department_a):
    """A little of everything to find."""
    follow_up = FollowUpFactory(
        response__invitation__interaction__touchpoint__department=department_a
    )
    StepFactory(
        stage=StageFactory(journey=JourneyFactory()), touchpoint=follow_up.response.touchpoint
    )


pytestmark = pytest.mark.django_db


def fuzz(test):
    return schema.parametrize()(
        settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )(test)
    )


def call(case, user):
    key = make_token(user, "fuzz")[1]
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)


@fuzz
def test_as_a_cx_manager_every_operation_keeps_to_the_schema(case, world, cx_manager):
    call(case, cx_manager)


@fuzz
def test_as_a_department_head_every_operation_keeps_to_the_schema(case, world, head_a):
    call(case, head_a)
