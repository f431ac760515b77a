"""Prepared statements: planned once per server session, planned again on a new one."""

import pytest
from django.db import connection

from lib.prepared import ModelColumns, PreparedStatement
from tests.factories import DepartmentFactory
from touchpoints.models import Department

pytestmark = pytest.mark.django_db

NAMES = ModelColumns((Department, "d", ("name", "id")))
BY_NAME = PreparedStatement(
    "test_department_by_name",
    lambda: (
        f"SELECT {NAMES.select_list()} FROM {Department._meta.db_table} d "
        "WHERE d.name = %(name)s OR d.name = %(name)s || '!'"
    ),
)


def run(name):
    with connection.cursor() as cursor:
        BY_NAME.execute(cursor, {"name": name})
        return [NAMES.instances(row)[0] for row in cursor.fetchall()]


def test_rows_come_back_as_instances_with_the_rest_deferred():
    made = DepartmentFactory(name="Service")
    (found,) = run("Service")
    assert (found.pk, found.name) == (made.pk, "Service")
    assert found.get_deferred_fields() and found._state.adding is False


def test_columns_are_read_in_the_models_order_whatever_order_they_are_named_in():
    assert NAMES.parts[0][2] == ("id", "name")


def test_a_column_the_model_lacks_is_refused():
    with pytest.raises(ValueError, match="Department"):
        ModelColumns((Department, "d", ("id", "no_such_column")))


@pytest.mark.django_db(transaction=True)
def test_a_connection_prepares_once_and_a_new_connection_prepares_again(
    django_assert_num_queries,
):
    DepartmentFactory(name="Sales!")
    run("Sales")
    with django_assert_num_queries(1) as again:
        assert [d.name for d in run("Sales")] == ["Sales!"]
    assert again.captured_queries[0]["sql"].startswith("EXECUTE test_department_by_name")
    connection.close()
    # A new session: what it has prepared is asked once, then the statement prepared.
    with django_assert_num_queries(3) as fresh:
        assert [d.name for d in run("Sales")] == ["Sales!"]
    assert "pg_prepared_statements" in fresh.captured_queries[0]["sql"]
    assert fresh.captured_queries[1]["sql"].startswith("PREPARE test_department_by_name")


def test_a_session_that_has_the_statement_already_is_not_asked_to_prepare_it_again():
    DepartmentFactory(name="Sales")
    run("Sales")
    del connection._prepared_statements  # as if the session came from a pooler
    assert [d.name for d in run("Sales")] == ["Sales"]
