"""Themes on the dashboards: the scorecard's "What customers say", a theme's comments,
complaint and short-answer themes, the live map's hover; a head reads only their
department's."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import figures
from dashboards.journey_map import journey_map
from surveys.counting.aggregation import rollups_rebuild_all
from surveys.counting.periods import Period
from surveys.models import Theme, ThemeSource
from surveys.said.theming import refresh_themes
from tests.factories import (
    ComplaintFactory,
    JourneyFactory,
    ResponseFactory,
    StageFactory,
    StepFactory,
    TouchpointFactory,
)
from tests.surveys.said.comment_sets import comment, comment_set
from tests.surveys.said.test_themes import short_answers

pytestmark = pytest.mark.django_db

SHARES = {"on hold": 0.5, "call back": 0.3, "friendly installer": 0.2}


@pytest.fixture
def said(department_a, department_b):
    """A's hotline and B's showroom, each with commented answers and complaints, themed."""
    hotline = TouchpointFactory(department=department_a, name="Service hotline")
    showroom = TouchpointFactory(department=department_b, name="Showroom")
    when = timezone.now() - dt.timedelta(days=2)
    for touchpoint, seed in ((hotline, 1), (showroom, 2)):
        texts, _ = comment_set(SHARES, 60, seed)
        for text in texts:
            ResponseFactory(
                invitation__interaction__touchpoint=touchpoint, submitted_at=when, comment=text
            )
        rng = random.Random(seed)
        for topic in ["on hold"] * 6 + ["call back"] * 4:
            ComplaintFactory(touchpoint=touchpoint, received_at=when, text=comment(rng, topic))
    rollups_rebuild_all()
    refresh_themes()
    return {"hotline": hotline, "showroom": showroom}


def _theme(touchpoint, word, source=ThemeSource.COMMENTS):
    return Theme.objects.get(touchpoint=touchpoint, source=source, label__contains=word)


def test_the_scorecard_shows_each_touchpoints_themes_with_their_shares(
    client_for, head_a, department_a, said
):
    page = client_for(head_a).get(reverse("dashboards:department", args=[department_a.pk]))
    rows = page.context["themed_rows"]
    assert [row.touchpoint for row in rows] == [said["hotline"]]
    shares = {share.label: share for share in rows[0].themes}
    hold = _theme(said["hotline"], "hold")
    assert shares[hold.label].percent == pytest.approx(50, abs=10)
    assert shares[hold.label].gap == pytest.approx(2.0)  # the factory's 6 expected, 4 got
    assert sum(s.count for s in rows[0].themes) <= 60
    assert {s.count for s in rows[0].complaint_themes} == {6, 4}
    assert "What customers say" in page.content.decode()
    assert hold.label in page.content.decode()


def test_a_theme_lists_its_comments(client_for, head_a, department_a, said):
    hold = _theme(said["hotline"], "hold")
    url = reverse("dashboards:department", args=[department_a.pk])
    page = client_for(head_a).get(url, {"theme": hold.pk})
    assert page.context["theme"] == hold
    listed = list(page.context["comments"])
    assert listed and all(response.theme_id == hold.pk for response in listed)
    assert all("hold" in response.comment for response in listed)
    # Search works inside a theme, and paging keeps it.
    searched = client_for(head_a).get(url, {"theme": hold.pk, "q": "forever"})
    assert all(
        "forever" in r.comment and r.theme_id == hold.pk for r in searched.context["comments"]
    )
    assert f"theme={hold.pk}" in page.context["query_without_page"]


@pytest.mark.parametrize("who", ["head_a", "cx_manager"])
def test_another_departments_theme_does_not_filter_this_page(
    request, client_for, department_a, said, who
):
    foreign = _theme(said["showroom"], "hold")
    page = client_for(request.getfixturevalue(who)).get(
        reverse("dashboards:department", args=[department_a.pk]), {"theme": foreign.pk}
    )
    assert page.status_code == 200
    assert page.context["theme"] is None
    assert {r.touchpoint for r in page.context["comments"]} == {said["hotline"]}


def test_complaints_list_by_theme_for_whom_may_read_it(client_for, head_a, head_b, said):
    hold = _theme(said["hotline"], "hold", ThemeSource.COMPLAINTS)
    url = reverse("surveys:complaints")
    mine = client_for(head_a).get(url, {"status": "all", "theme": hold.pk})
    listed = [complaint for complaint, *_ in mine.context["rows"]]
    assert len(listed) == 6 and all(c.themed.theme == hold for c in listed)
    assert mine.context["theme"] == hold
    theirs = client_for(head_b).get(url, {"status": "all", "theme": hold.pk})
    assert theirs.context["theme"] is None
    assert {c.touchpoint for c, *_ in theirs.context["rows"]} == {said["showroom"]}
    assert hold.label not in theirs.content.decode()


def test_the_live_map_hover_says_what_customers_say(said):
    journey = JourneyFactory()
    StepFactory(stage=StageFactory(journey=journey), touchpoint=said["hotline"])
    today = timezone.localdate()
    stages = journey_map(journey, Period(today - dt.timedelta(days=30), today))
    hover = figures.journey_map(stages)["data"]
    text = " ".join(str(trace.get("hovertext")) for trace in hover)
    assert "said: " in text and _theme(said["hotline"], "hold").label in text
    assert "complained of: " in text


def test_short_answer_themes_show_with_their_shares_and_list_their_answers(
    client_for, head_a, department_a, department_b
):
    hotline = TouchpointFactory(department=department_a, name="Service hotline")
    showroom = TouchpointFactory(department=department_b, name="Showroom")
    short_answers(hotline, ["on hold"] * 12 + ["call back"] * 8)
    short_answers(showroom, ["on hold"] * 10)
    rollups_rebuild_all()
    refresh_themes()
    url = reverse("dashboards:department", args=[department_a.pk])
    page = client_for(head_a).get(url)
    (row,) = page.context["themed_rows"]
    shares = {share.label: (share.count, round(share.percent)) for share in row.short_answer_themes}
    hold = _theme(hotline, "hold", ThemeSource.ANSWERS)
    assert shares[hold.label] == (12, 60)  # of the 20 short answers the rollups count
    assert hold.label in page.content.decode()
    # A theme lists its answers; another department's does not filter this page.
    listed = client_for(head_a).get(url, {"answer_theme": hold.pk}).context["short_answers"]
    assert len(listed) == 12 and all("hold" in answer.text for answer in listed)
    foreign = _theme(showroom, "hold", ThemeSource.ANSWERS)
    page = client_for(head_a).get(url, {"answer_theme": foreign.pk})
    assert page.context["answer_theme"] is None and len(page.context["short_answers"]) == 20
    # The live map's hover names them too.
    journey = JourneyFactory()
    StepFactory(stage=StageFactory(journey=journey), touchpoint=hotline)
    today = timezone.localdate()
    stages = journey_map(journey, Period(today - dt.timedelta(days=30), today))
    hover = " ".join(str(t.get("hovertext")) for t in figures.journey_map(stages)["data"])
    assert f"wrote: {hold.label} 60%" in hover
