"""The dashboards on a known data set: figures equal the rollup derivations, each role sees
only what it may (pages, filters and exports), exports are safe in a spreadsheet."""

import csv
import datetime as dt
import io
import json

import plotly.graph_objects as go
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards import figures
from dashboards.journey_map import journey_map
from dashboards.priorities import priorities
from dashboards.trends import grouped_weekly, weekly_scores
from journeys.editing import add_stage, place_touchpoint
from lib.csv_export import cell
from surveys.counting.aggregation import rollups_rebuild_all
from surveys.counting.periods import ONE_DAY, Period
from surveys.counting.rollup_sql import next_month
from surveys.counting.selectors import scores_by_touchpoint
from surveys.models import ComplaintStatus
from tests.factories import (
    ComplaintFactory,
    FollowUpFactory,
    InteractionFactory,
    JourneyFactory,
    ResponseFactory,
    TouchpointFactory,
)
from touchpoints.models import ImprovementAction, ImprovementStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def answer(touchpoint, days_ago=1, expectation=6, experience=3, nps=3, comment=""):
    moment = timezone.now() - dt.timedelta(days=days_ago)
    return ResponseFactory(
        invitation__interaction=InteractionFactory(touchpoint=touchpoint, occurred_at=moment),
        submitted_at=moment,
        expectation=expectation,
        experience=experience,
        nps=nps,
        comment=comment,
    )


@pytest.fixture
def world(department_a, department_b, settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 3
    hotline = TouchpointFactory(name="Hotline", department=department_a, effort_estimate=1)
    showroom = TouchpointFactory(
        name="Showroom", channel="store", department=department_b, effort_estimate=4
    )
    for _ in range(4):
        answer(hotline, comment="On hold forever")
        answer(showroom, expectation=4, experience=6, nps=10, comment="Lovely showroom")
    answer(hotline, comment='=HYPERLINK("http://evil.example")')
    journey = JourneyFactory(name="Buying a floor")
    discover, buy = add_stage(journey, "Discover"), add_stage(journey, "Buy")
    place_touchpoint(discover, showroom.pk)
    place_touchpoint(buy, hotline.pk)
    rollups_rebuild_all()
    return {"hotline": hotline, "showroom": showroom, "journey": journey}


def test_the_live_map_equals_the_rollup_derivations(world):
    period = Period(TODAY - dt.timedelta(days=89), TODAY)
    stages = journey_map(world["journey"], period)
    expected = scores_by_touchpoint([world["hotline"].pk], period.since, period.until)
    hotline = stages[1].points[0]
    assert hotline.scores == expected[world["hotline"].pk]
    assert hotline.scores.gap == 3 and hotline.scores.gap_answered == 5 and hotline.enough_data
    assert stages[0].scores.gap == -2  # the stage sums its touchpoints' rows
    assert [s.stage.name for s in stages] == ["Discover", "Buy"]
    assert journey_map(world["journey"], period, channel="store")[1].points == []


def test_the_map_figure_places_colours_and_greys(world, settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 5
    period = Period(TODAY - dt.timedelta(days=89), TODAY)
    figure = figures.journey_map(journey_map(world["journey"], period))
    measured, thin = figure["data"][0], figure["data"][1]
    assert measured["text"] == ["Hotline"] and measured["marker"]["color"] == [3.0]
    assert thin["text"] == ["Showroom"]  # 4 answers < 5: greyed
    curve = figure["data"][3]
    assert curve["name"] == "Experienced" and curve["y"] == [6.0, 3.0]


def test_priorities_rank_quick_wins_first(world):
    ranked = priorities(
        [world["hotline"], world["showroom"]], Period(TODAY - dt.timedelta(days=30), TODAY)
    )
    assert [(p.touchpoint.name, p.bucket) for p in ranked] == [
        ("Hotline", "quick win"),
        ("Showroom", "watch"),  # a delight: nothing to fix
    ]
    assert ranked[0].impact == 100


def test_a_head_gets_404_for_another_departments_scorecard(client_for, head_a, department_b, world):
    assert client_for(head_a).get(f"/departments/{department_b.pk}/").status_code == 404


def test_the_scorecard_lists_own_comments_searchable_and_exportable(
    client_for, head_a, department_a, world
):
    client = client_for(head_a)
    page = client.get(f"/departments/{department_a.pk}/", {"q": "hold"})
    html = page.content.decode()
    assert "On hold forever" in html and "Lovely showroom" not in html
    assert len(page.context["comments"].items) == 4 and page.context["comment_count"] is None
    unsearched = client.get(f"/departments/{department_a.pk}/")
    assert unsearched.context["comment_count"] == 5  # from the rollups
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/departments/{department_a.pk}/", {"export": "comments"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][-1] == "comment" and len(rows) == 6
    assert '\'=HYPERLINK("http://evil.example")' in [row[-1] for row in rows]
    assert all("Lovely" not in row[-1] for row in rows)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards/priorities/",
        "/dashboards/priorities/?export=csv",
        "/dashboards/trends/?export=csv",
        "/dashboards/improvements/?export=csv",
    ],
)
def test_no_page_or_export_shows_a_head_another_departments_touchpoint(
    client_for, head_a, world, url
):
    ImprovementAction.objects.create(
        touchpoint=world["showroom"],
        title="Bigger showroom",
        status=ImprovementStatus.DONE,
        changed_on=TODAY,
    )
    body = client_for(head_a).get(url).content.decode("utf-8-sig")
    assert "Showroom" not in body and "Bigger showroom" not in body


def test_trend_filters_cannot_reach_another_department(client_for, head_a, world):
    page = client_for(head_a).get("/dashboards/trends/", {"touchpoints": [world["showroom"].pk]})
    figure = page.context["figure"]
    assert [trace["name"] for trace in figure["data"]] == ["Customer Service"]
    assert "Showroom" not in page.content.decode()


def test_trends_compare_two_periods(client_for, cx_manager, world):
    for _ in range(5):
        answer(world["hotline"], days_ago=200, experience=6)  # long ago the hotline was fine
    rollups_rebuild_all()
    old = TODAY - dt.timedelta(days=200)
    page = client_for(cx_manager).get(
        "/dashboards/trends/",
        {
            "touchpoints": [world["hotline"].pk],
            "compare_since": old.isoformat(),
            "compare_until": old.isoformat(),
        },
    )
    ((name, change),) = page.context["comparison"]
    assert name == "Hotline" and change.reference.gap == 0 and change.compared.gap == 3
    # Answers all equal on both sides: no evidence of a change, and it says so.
    assert change.p_value is None and change.verdict == "all answers equal: more needed"
    bad = client_for(cx_manager).get("/dashboards/trends/", {"compare_since": old.isoformat()})
    assert "Give both ends" in bad.content.decode()


def test_a_tiny_p_reads_as_below_a_thousandth(client_for, cx_manager, world):
    for number in range(20):
        answer(world["hotline"], days_ago=200, experience=6 + number % 2)
        answer(world["hotline"], days_ago=2, experience=1 + number % 2)
    rollups_rebuild_all()
    old = (TODAY - dt.timedelta(days=200)).isoformat()
    query = {"touchpoints": [world["hotline"].pk], "compare_since": old, "compare_until": old}
    page = client_for(cx_manager).get("/dashboards/trends/", query)
    ((_name, change),) = page.context["comparison"]
    assert change.p_value < 0.001
    text = page.content.decode()
    assert "&lt; 0.001" in text and "0.000" not in text


def test_the_journey_dashboard_is_for_cx_managers(client_for, cx_manager, head_a, world):
    url = f"/dashboards/journeys/{world['journey'].pk}/"
    assert client_for(head_a).get(url).status_code == 403
    page = client_for(cx_manager).get(url, {"channel": "phone", "backstage": "on"})
    assert page.status_code == 200
    data = json.loads(
        page.content.decode()
        .split('id="journey-map" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert data["data"][0]["text"] == ["Hotline"]
    report = client_for(cx_manager).get(f"/dashboards/journeys/{world['journey'].pk}/report/")
    assert report.status_code == 200 and "Print" in report.content.decode()


def test_improvements_are_verified_from_the_rollups(client_for, cx_manager, world):
    for _ in range(30):
        answer(world["hotline"], days_ago=40, experience=1)  # before the fix: gap 5
    for _ in range(30):
        answer(world["hotline"], days_ago=5, experience=5)  # after: gap about 1
    rollups_rebuild_all()
    client = client_for(cx_manager)
    created = client.post(
        "/dashboards/improvements/",
        {"touchpoint": world["hotline"].pk, "title": "Call-back offer", "status": "done",
         "changed_on": (TODAY - dt.timedelta(days=20)).isoformat()},
    )  # fmt: skip
    assert created.status_code == 302
    page = client.get("/dashboards/improvements/")
    (check,) = page.context["checks"]
    assert check.change.verdict == "improved" and check.change.reference.gap == 5
    refused = client.post("/dashboards/improvements/", {"title": "x", "status": "done"})
    assert refused.status_code == 400 and "needs the day" in refused.content.decode()


def test_heads_may_not_record_improvements(client_for, head_a, world):
    page = client_for(head_a).post("/dashboards/improvements/", {"title": "x"})
    assert page.status_code == 403 and not ImprovementAction.objects.exists()


def test_cells_that_start_a_formula_are_escaped():
    assert [cell(v) for v in ("=1+1", "+x", "-x", "@x", "\tx", "\rx", "ok", -1.5, 3, None)] == [
        "'=1+1", "'+x", "'-x", "'@x", "'\tx", "'\rx", "ok", "-1.5", "3", "",
    ]  # fmt: skip


def test_the_scorecard_costs_the_same_queries_for_more_touchpoints(
    client_for, head_a, department_a, world
):
    client = client_for(head_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/departments/{department_a.pk}/").status_code == 200
        return len(captured)

    before = count()
    for number in range(8):
        answer(TouchpointFactory(name=f"Desk {number}", department=department_a), comment="ok")
    rollups_rebuild_all()
    assert count() == before


def test_comments_are_paged_newest_first(client_for, head_a, department_a, world):
    for day in range(25):
        answer(world["hotline"], days_ago=day + 2, comment=f"note {day}")
    client = client_for(head_a)
    first = client.get(f"/departments/{department_a.pk}/", {"q": "note"}).context["comments"]
    assert [r.comment for r in first][:2] == ["note 0", "note 1"] and first.has_next
    second = client.get(f"/departments/{department_a.pk}/", {"q": "note", "page": 2})
    assert [r.comment for r in second.context["comments"]] == [f"note {d}" for d in range(20, 25)]
    assert not second.context["comments"].has_next
    assert client.get(f"/departments/{department_a.pk}/", {"page": "x"}).status_code == 200


def test_every_figure_is_valid_plotly(client_for, cx_manager, world):
    """The builders write plain dicts; Plotly's own validators check them here."""
    client = client_for(cx_manager)
    ImprovementAction.objects.create(
        touchpoint=world["hotline"], title="Fix", status=ImprovementStatus.DONE, changed_on=TODAY
    )
    pages = [
        (f"/dashboards/journeys/{world['journey'].pk}/?backstage=on", "map_figure"),
        (f"/departments/{world['hotline'].department_id}/", "trend_figure"),
        ("/dashboards/priorities/", "figure"),
        ("/dashboards/improvements/", "figure"),
        ("/dashboards/trends/?measure=nps", "figure"),
    ]
    for url, name in pages:
        figure = client.get(url).context[name]
        go.Figure(figure)  # raises on any unknown or invalid property
        assert figure["data"], url


def test_weekly_series_equal_the_scores_of_each_week(world):
    for days_ago in (3, 9, 10, 20):
        answer(world["hotline"], days_ago=days_ago, experience=days_ago % 7 + 1)
    rollups_rebuild_all()
    period = Period(TODAY - dt.timedelta(days=27), TODAY)
    hotline = world["hotline"].pk
    series = weekly_scores([hotline], period)[hotline]
    assert sum(scores.gap_answered for _, scores in series) == 9
    for monday, scores in series:
        assert monday.weekday() == 0
        first, last = max(monday, period.since), min(monday + dt.timedelta(days=6), TODAY)
        assert scores == scores_by_touchpoint([hotline], first, last)[hotline]
    groups = grouped_weekly({"both": [hotline, world["showroom"].pk], "one": [hotline]}, period)
    assert sum(s.gap_answered for _, s in groups["both"]) == 13
    assert [scores for _, scores in groups["one"]] == [scores for _, scores in series]


def test_trends_filter_by_segment_and_by_customers_or_prospects(client_for, cx_manager, world):
    hotline = world["hotline"]
    for segment, prospect, experience in (
        ("trade", False, 6),
        ("trade", True, 1),
        ("home", False, 2),
    ):
        response = answer(hotline, experience=experience)
        customer = response.invitation.interaction.customer
        customer.segment, customer.is_prospect = segment, prospect
        customer.save()
    rollups_rebuild_all()
    client = client_for(cx_manager)

    def gap(**filters):
        page = client.get("/dashboards/trends/", {"touchpoints": [hotline.pk], **filters})
        (line,) = page.context["figure"]["data"]
        assert len(line["y"]) == 1, line
        return line["y"][0], line["customdata"][0]

    assert gap() == (pytest.approx((5 * 3 + 0 + 5 + 4) / 8), 8)
    assert gap(segment="trade") == (pytest.approx(2.5), 2)
    assert gap(segment="trade", answered_by="customers") == (0, 1)
    assert gap(answered_by="prospects") == (5, 1)
    assert gap(segment="home") == (4, 1)
    page = client.get("/dashboards/trends/")
    assert [value for value, _ in page.context["form"].fields["segment"].choices] == [
        "",
        "home",
        "trade",
    ]


def test_the_scorecard_and_map_show_standards_met_and_breaches(
    client_for, head_a, cx_manager, department_a, world
):
    hotline, showroom = world["hotline"], world["showroom"]
    hotline.target_wait_seconds = 120
    hotline.save()
    showroom.target_wait_seconds = 60
    showroom.save()
    for wait in (30, 60, 960):
        InteractionFactory(touchpoint=hotline, occurred_at=timezone.now(), wait_seconds=wait)
    InteractionFactory(touchpoint=showroom, occurred_at=timezone.now(), wait_seconds=999)
    rollups_rebuild_all()
    page = client_for(head_a).get(f"/departments/{department_a.pk}/")
    (row,) = [r for r in page.context["rows"] if r.touchpoint == hotline]
    assert (row.compliance.measured, row.compliance.breaches) == (3, 1)
    assert [i.wait_seconds for i in page.context["breaches"]] == [960]  # not the showroom's
    html = page.content.decode()
    assert "67%" in html and "over 2 min" in html
    figure = (
        client_for(cx_manager)
        .get(f"/dashboards/journeys/{world['journey'].pk}/")
        .context["map_figure"]
    )
    hovers = [text for trace in figure["data"] for text in trace.get("hovertext", [])]
    assert any("standards met 67% (1 breach in 3)" in text for text in hovers)


def test_a_breach_shows_before_and_after_its_day_is_rolled_up(world):
    from dashboards.standards import breaches
    from surveys.counting.aggregation import rollups_drain_all

    hotline = world["hotline"]
    hotline.target_wait_seconds = 60
    hotline.save()
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=7), today)
    rollups_drain_all()
    assert list(breaches([hotline], period)) == []
    late = InteractionFactory(touchpoint=hotline, occurred_at=timezone.now(), wait_seconds=600)
    assert list(breaches([hotline], period)) == [late]  # its day is waiting to be counted
    rollups_drain_all()
    assert list(breaches([hotline], period)) == [late]  # and now counted
    assert list(breaches([world["showroom"]], period)) == []  # no target, nothing read


def test_breaches_and_follow_ups_download_as_csv(client_for, head_a, department_a, world):
    hotline = world["hotline"]
    hotline.target_wait_seconds = 60
    hotline.save()
    InteractionFactory(touchpoint=hotline, occurred_at=timezone.now(), wait_seconds=600)
    response = answer(hotline, comment="@SUM(A1)")
    FollowUpFactory(response=response)
    rollups_rebuild_all()
    client = client_for(head_a)

    def rows(kind):
        body = client.get(f"/departments/{department_a.pk}/", {"export": kind})
        return list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))

    breach_rows = rows("breaches")
    assert breach_rows[0][:3] == ["when", "touchpoint", "handled by"] and len(breach_rows) == 2
    assert breach_rows[1][3] == "600"
    follow_up_rows = rows("follow_ups")
    assert follow_up_rows[1][1] == "Hotline" and follow_up_rows[1][-1] == "'@SUM(A1)"


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards/journeys/{journey}/",
        "/dashboards/journeys/{journey}/paths/",
        "/dashboards/priorities/",
        "/dashboards/trends/",
        "/dashboards/improvements/",
    ],
)
def test_every_dashboard_costs_the_same_queries_for_more_data(client_for, cx_manager, world, url):
    client = client_for(cx_manager)
    url = url.format(journey=world["journey"].pk)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    count()  # the first request fills caches (the segment list)
    before = count()
    stage = world["journey"].stages.first()
    for number in range(6):
        touchpoint = TouchpointFactory(
            name=f"Desk {number}", department=world["hotline"].department
        )
        place_touchpoint(stage, touchpoint.pk)
        answer(touchpoint, comment="ok")
    rollups_rebuild_all()
    assert count() == before


def test_complaints_are_counted_beside_the_gap(client_for, head_a, cx_manager, department_a, world):
    hotline = world["hotline"]
    ComplaintFactory(touchpoint=hotline)
    ComplaintFactory(
        touchpoint=hotline, status=ComplaintStatus.RESOLVED, resolved_at=timezone.now()
    )
    ComplaintFactory(touchpoint=hotline, received_at=timezone.now() - dt.timedelta(days=200))
    ComplaintFactory(touchpoint=world["showroom"])
    page = client_for(head_a).get(f"/departments/{department_a.pk}/")
    (row,) = [r for r in page.context["rows"] if r.touchpoint == hotline]
    assert (row.complaints.total, row.complaints.unresolved) == (2, 1)
    figure = (
        client_for(cx_manager)
        .get(f"/dashboards/journeys/{world['journey'].pk}/")
        .context["map_figure"]
    )
    hovers = " ".join(text for trace in figure["data"] for text in trace.get("hovertext", []))
    assert "complaints 2 (1 not resolved)" in hovers and "complaints 1 (1 not resolved)" in hovers


def test_monthly_series_use_whole_month_rollups_and_equal_the_scores_of_each_month(world):
    for days_ago in (5, 40, 70, 100, 150, 190, 230):
        answer(world["hotline"], days_ago=days_ago, experience=days_ago % 7 + 1)
    rollups_rebuild_all()
    period = Period(TODAY - dt.timedelta(days=250), TODAY)  # monthly: over half a year
    hotline = world["hotline"].pk
    series = weekly_scores([hotline], period)[hotline]
    assert sum(scores.gap_answered for _, scores in series) == 5 + 7
    for month, scores in series:
        assert month.day == 1
        last = min((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), TODAY)
        assert scores == scores_by_touchpoint([hotline], max(month, period.since), last)[hotline]


def test_a_mostly_covered_edge_month_is_its_month_row_minus_the_days_outside(world):
    """plan_range reads such a month as the month row minus the days outside the period:
    the answers outside must not count, those inside must."""
    first = (TODAY.replace(day=1) - dt.timedelta(days=200)).replace(day=1)
    since = first + dt.timedelta(days=2)  # 3rd: 2 days outside, the rest inside
    hotline = world["hotline"].pk
    inside = (since, 5), (since + dt.timedelta(days=3), 4)
    for day, experience in ((first, 1), (since - dt.timedelta(days=1), 2), *inside):
        answer(world["hotline"], days_ago=(TODAY - day).days, experience=experience)
    answer(world["hotline"], days_ago=(TODAY - since).days + 10, experience=7)
    rollups_rebuild_all()
    series = dict(weekly_scores([hotline], Period(since, TODAY))[hotline])
    assert series[first].gap_answered == 2
    assert (
        series[first]
        == scores_by_touchpoint([hotline], since, next_month(first) - ONE_DAY)[hotline]
    )
