"""Real paths: counted from interaction sequences, marked against the designed map."""

import datetime as dt

import plotly.graph_objects as go
import pytest
from django.utils import timezone

from dashboards import figures
from dashboards.real_paths import real_paths
from journeys.editing import add_stage, place_touchpoint
from surveys.counting.paths import MAX_STEPS, count_transitions, rebuild_paths
from surveys.counting.periods import Period
from surveys.models import PathEnd, PathTransition
from tests.factories import CustomerFactory, InteractionFactory, JourneyFactory, TouchpointFactory

NOW = timezone.now()
# Noon on the first of a month at least 40 days back: the paths' first days fall in one
# month, whatever today is.
START = timezone.localtime(NOW - dt.timedelta(days=40)).replace(day=1, hour=12, minute=0)


def at(days):
    return START + dt.timedelta(days=days)


def test_steps_continue_until_a_gap_a_walk_away_or_the_end():
    rows = [
        ("ann", "web", "resolved", at(0)),
        ("ann", "store", "purchased", at(1)),
        ("ann", "phone", "lost", at(2)),  # walked away: the path ends here
        ("ann", "web", "resolved", at(3)),  # a new path
        ("bob", "web", "resolved", at(0)),
        ("bob", "phone", "resolved", at(31)),  # over 30 days later: a new path
    ]
    counts = count_transitions(rows)

    def key(step, source, target, ended=""):
        month = timezone.localtime(at(0)).date().replace(day=1)
        return (month, step, source, target, ended)

    assert counts[key(1, "web", "store")] == 1
    assert counts[key(2, "store", "phone")] == 1
    assert counts[key(3, "phone", None, PathEnd.DROPPED)] == 1
    assert counts[key(1, "web", None, PathEnd.STOPPED)] >= 2  # ann's second path, bob's first
    assert sum(counts.values()) == 6  # one row per interaction: it leads on or it ends


def test_steps_past_the_sixth_are_not_counted():
    rows = [("ann", f"tp{i}", "resolved", at(i / 10)) for i in range(10)]
    counts = count_transitions(rows)
    assert max(step for (_, step, *_rest) in counts) == MAX_STEPS


@pytest.mark.django_db
def test_rebuilt_paths_are_marked_against_the_map():
    web, store, phone, van = (TouchpointFactory(name=n) for n in ("Web", "Store", "Phone", "Van"))
    journey = JourneyFactory()
    first, second = add_stage(journey, "Choose"), add_stage(journey, "Buy")
    place_touchpoint(first, web.pk)
    place_touchpoint(first, phone.pk)
    place_touchpoint(second, store.pk)
    for name in ("ann", "bob"):
        customer = CustomerFactory(email=f"{name}@example.com")
        InteractionFactory(customer=customer, touchpoint=web, occurred_at=at(0), outcome="resolved")
        InteractionFactory(
            customer=customer, touchpoint=store, occurred_at=at(1), outcome="resolved"
        )
        InteractionFactory(customer=customer, touchpoint=phone, occurred_at=at(2), outcome="lost")
    cid = CustomerFactory(email="cid@example.com")
    InteractionFactory(customer=cid, touchpoint=web, occurred_at=at(0), outcome="resolved")
    InteractionFactory(customer=cid, touchpoint=van, occurred_at=at(1), outcome="resolved")
    assert rebuild_paths() == PathTransition.objects.count() == 5
    links = real_paths(journey, Period(at(0).date() - dt.timedelta(days=31), NOW.date()))
    kinds = {
        (link.step, link.source.name, link.target.name if link.target else None): (
            link.kind,
            link.count,
        )
        for link in links
    }
    assert kinds[(1, "Web", "Store")] == ("designed", 2)
    assert kinds[(2, "Store", "Phone")] == ("off the map", 2)  # back to an earlier stage
    assert kinds[(3, "Phone", None)] == ("walked away", 2)
    assert kinds[(1, "Web", "Van")] == ("off the map", 1)
    assert kinds[(2, "Van", None)] == ("stopped", 1)
    go.Figure(figures.real_paths(links))
    assert rebuild_paths() == 5  # rebuilt whole, not added to


@pytest.mark.django_db
def test_the_paths_page_is_for_cx_managers(client_for, cx_manager, head_a):
    journey = JourneyFactory()
    url = f"/dashboards/journeys/{journey.pk}/paths/"
    assert client_for(head_a).get(url).status_code == 403
    page = client_for(cx_manager).get(url)
    assert page.status_code == 200 and "none have been counted yet" in page.content.decode()
