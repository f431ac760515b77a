"""Scorecard figures are cached until what they are made of changes: a drain, a complaint,
a theme refresh. Never older than the last committed change; computed without Redis."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.complaints.services import update_complaint
from surveys.counting import figure_cache
from surveys.counting.aggregation import rollups_drain_all
from surveys.counting.figure_cache import cached_figures
from surveys.models import ComplaintStatus
from tests.factories import ComplaintFactory, ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorecard(client_for, head_a, department_a, django_capture_on_commit_callbacks):
    """The hotline's row on the head's scorecard, read with commits as in production."""
    hotline = TouchpointFactory(name="Hotline", department=department_a)
    client = client_for(head_a)

    def row():
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(f"/departments/{department_a.pk}/")
        (found,) = page.context["rows"]
        return found

    row.touchpoint = hotline
    return row


def answered(touchpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ResponseFactory(invitation__interaction__touchpoint=touchpoint, submitted_at=timezone.now())
        rollups_drain_all()


def test_a_drain_shows_on_the_next_read(scorecard, django_capture_on_commit_callbacks):
    assert scorecard().scores.responses == 0
    answered(scorecard.touchpoint, django_capture_on_commit_callbacks)
    assert scorecard().scores.responses == 1


def test_a_complaint_filed_or_resolved_shows_at_once(scorecard, django_capture_on_commit_callbacks):
    assert scorecard().complaints is None
    with django_capture_on_commit_callbacks(execute=True):
        complaint = ComplaintFactory(touchpoint=scorecard.touchpoint, received_at=timezone.now())
    assert (scorecard().complaints.total, scorecard().complaints.unresolved) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        update_complaint(
            complaint, status=ComplaintStatus.RESOLVED, owner=None, resolution_notes="Called back"
        )
    assert scorecard().complaints.unresolved == 0


def test_figures_are_computed_once_per_version_and_parts():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    figure_cache._stamp()
    today = dt.date(2026, 11, 2)
    assert cached_figures("f", ([1, 2], today), compute) == {"n": 1}
    assert cached_figures("f", ([1, 2], today), compute) == {"n": 1}
    assert cached_figures("f", ([1, 3], today), compute) == {"n": 2}  # other parts
    figure_cache._stamp()  # a change committed
    assert cached_figures("f", ([1, 2], today), compute) == {"n": 3}


def test_without_redis_figures_are_computed_every_time(redis_down):
    calls = []
    for _ in range(2):
        assert cached_figures("f", (1,), lambda: calls.append(1) or "fresh") == "fresh"
    assert len(calls) == 2
