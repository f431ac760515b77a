"""Prepared statements: planned once per server session, planned again on a new one."""

import pytest
from django.db import connection

from config.prepared import ModelColumns, PreparedStatement
from touchpoints.models import Department

from ..factories import DepartmentFactory

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PREPARE is PostgreSQL's")
def test_a_connection_prepares_once_and_a_new_connection_prepares_again(
    django_assert_num_queries,
):
    DepartmentFactory(name="Sales!")
    run("Sales")
    with django_assert_num_queries(1) as again:
        assert [d.name for d in run("Sales")] == ["Sales!"]
    assert again.captured_queries[0]["sql"].startswith("EXECUTE test_department_by_name")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE test_department_by_name")  # as a new session would lack it
    connection._prepared_statements = (object(), set())  # a connection not seen before
    with django_assert_num_queries(2) as fresh:
        assert [d.name for d in run("Sales")] == ["Sales!"]
    assert fresh.captured_queries[0]["sql"].startswith("PREPARE test_department_by_name")
