"""Complaints moved from touchpoints to surveys (surveys 0020, touchpoints 0009): a
database filled by the demo keeps every complaint, its theme and its admin history, both
ways across the move."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo.build import demo_build
from surveys.models import Complaint, ThemedComplaint

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("surveys", "0019_response_rate_cohorts_and_effort_spread"),
    ("touchpoints", "0008_identity_changes"),
]
AFTER = [
    ("surveys", "0020_complaints_join_surveys"),
    ("touchpoints", "0009_complaints_join_surveys"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture(autouse=True)
def schema_restored():
    """The tests after this one find every migration applied, also the later ones."""
    yield
    migrate(latest())


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, touchpoint_id, status, text FROM {table} ORDER BY id")
        return cursor.fetchall()


def themed(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT complaint_id, theme_id FROM {table} ORDER BY complaint_id")
        return cursor.fetchall()


def test_the_demo_database_keeps_its_complaints_across_the_move_both_ways():
    demo_build(today=dt.date(2026, 6, 30))
    complaint = Complaint.objects.order_by("id").first()
    admin = get_user_model().objects.get(username="admin")
    history = LogEntry.objects.log_actions(admin.pk, [complaint], CHANGE, single_object=True)
    complaints = rows("surveys_complaint")
    themes = themed("surveys_themedcomplaint")
    assert len(complaints) > 50 and len(themes) > 10

    migrate(BEFORE)
    assert rows("touchpoints_complaint") == complaints
    assert themed("surveys_themedcomplaint") == themes
    assert LogEntry.objects.get(pk=history.pk).content_type.app_label == "touchpoints"

    migrate(AFTER)
    migrate(latest())  # what came after the move, as the models now say
    ContentType.objects.clear_cache()
    assert rows("surveys_complaint") == complaints
    assert (
        list(
            ThemedComplaint.objects.order_by("complaint_id").values_list("complaint_id", "theme_id")
        )
        == themes
    )
    assert LogEntry.objects.get(pk=history.pk).get_edited_object() == complaint
    # New complaints continue the same numbering: the identity sequence moved with the table.
    assert Complaint.objects.create(
        touchpoint=complaint.touchpoint,
        source=complaint.source,
        received_at=complaint.received_at,
        text="x",
    ).pk > max(row[0] for row in complaints)
