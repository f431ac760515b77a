"""Recovery: the share of customers back within the window and their next answer's gap
change, in time against late, equal an independent computation with scipy's own tests."""

import datetime as dt
import random

import pytest
from django.utils import timezone
from scipy import stats

from surveys.counting.recovery import recovery
from surveys.counting.scores import wilson
from tests.factories import (
    CustomerFactory,
    DepartmentFactory,
    FollowUpFactory,
    InteractionFactory,
    ResponseFactory,
    TouchpointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WINDOW = 90


def _follow_up(touchpoint, opened, in_time, rng):
    customer = CustomerFactory()
    response = ResponseFactory(
        invitation__interaction__customer=customer,
        invitation__interaction__touchpoint=touchpoint,
        invitation__interaction__occurred_at=opened - dt.timedelta(hours=3),
        submitted_at=opened,
        expectation=rng.randint(5, 7),
        experience=rng.randint(1, 3),
        nps=rng.randint(0, 6),
    )
    due = opened + dt.timedelta(hours=24)
    contact = due - dt.timedelta(hours=2) if in_time else rng.choice([None, due + dt.timedelta(1)])
    return FollowUpFactory(
        response=response, created_at=opened, due_at=due, first_contact_at=contact
    )


def _in_time(follow_up):
    return follow_up.first_contact_at is not None and follow_up.first_contact_at <= follow_up.due_at


def _comes_back(follow_up, touchpoint, days, gap=None):
    customer = follow_up.response.invitation.interaction.customer
    moment = follow_up.created_at + dt.timedelta(days=days)
    if gap is None:
        InteractionFactory(customer=customer, touchpoint=touchpoint, occurred_at=moment)
    else:
        ResponseFactory(
            invitation__interaction__customer=customer,
            invitation__interaction__touchpoint=touchpoint,
            invitation__interaction__occurred_at=moment,
            submitted_at=moment + dt.timedelta(hours=1),
            expectation=5,
            experience=5 - gap,
        )


def test_recovery_equals_an_independent_computation(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 5
    rng = random.Random(7)
    now = timezone.now()
    touchpoint = TouchpointFactory()
    elsewhere = TouchpointFactory()  # another department's
    opened = now - dt.timedelta(days=WINDOW + 10)
    cases = []
    for index in range(40):
        in_time = index % 2 == 0
        follow_up = _follow_up(touchpoint, opened - dt.timedelta(hours=index), in_time, rng)
        chance = 0.7 if in_time else 0.35
        if rng.random() < chance:
            gap = rng.randint(-2, 3) if rng.random() < 0.8 else None
            _comes_back(follow_up, touchpoint, rng.randint(1, WINDOW - 1), gap)
        if rng.random() < 0.3:
            _comes_back(follow_up, touchpoint, WINDOW + 3, gap=0)  # too late to count
        cases.append(follow_up)
    # Still within its window: counted as waiting, in neither group.
    _follow_up(touchpoint, now - dt.timedelta(days=5), True, rng)

    def expected(in_time):
        group = [f for f in cases if _in_time(f) == in_time]
        back, changes = 0, []
        for f in group:
            customer = f.response.invitation.interaction.customer
            end = f.created_at + dt.timedelta(days=WINDOW)
            later = customer.interactions.filter(occurred_at__gt=f.created_at, occurred_at__lte=end)
            back += later.exists()
            answers = [
                i.invitation.response
                for i in later.order_by("occurred_at")
                if hasattr(i, "invitation") and hasattr(i.invitation, "response")
            ]
            answers = [a for a in answers if a.submitted_at <= end]
            if answers:
                changes.append(answers[0].gap - f.response.gap)
        return len(group), back, changes

    figures = recovery(UserFactory(is_superuser=True), now=now, window_days=WINDOW)
    assert figures.waiting == 1
    n_in, back_in, changes_in = expected(True)
    n_late, back_late, changes_late = expected(False)
    assert (figures.in_time.follow_ups, figures.in_time.came_back) == (n_in, back_in)
    assert (figures.late.follow_ups, figures.late.came_back) == (n_late, back_late)
    assert figures.in_time.came_back_interval == wilson(back_in, n_in)
    assert figures.in_time.change.n == len(changes_in)
    assert figures.in_time.change.mean == pytest.approx(sum(changes_in) / len(changes_in))

    fisher = stats.fisher_exact([[back_late, n_late - back_late], [back_in, n_in - back_in]])
    assert figures.came_back_difference.p_value == pytest.approx(fisher.pvalue)
    assert figures.came_back_difference.difference == pytest.approx(
        100 * back_in / n_in - 100 * back_late / n_late
    )
    low, high = figures.came_back_difference.low, figures.came_back_difference.high
    assert low < figures.came_back_difference.difference < high
    welch = stats.ttest_ind(changes_in, changes_late, equal_var=False)
    assert figures.change_difference.p_value == pytest.approx(welch.pvalue)
    interval = welch.confidence_interval()
    assert figures.change_difference.difference - figures.change_difference.margin == (
        pytest.approx(interval.low)
    )

    # A head reads only their own department's follow-ups and returns.
    head = UserFactory()
    DepartmentFactory()  # a department the head does not lead
    elsewhere.department.heads.add(head)
    assert recovery(head, now=now, window_days=WINDOW).in_time.follow_ups == 0


def test_too_few_follow_ups_show_no_share_and_no_test(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 30
    rng = random.Random(1)
    touchpoint = TouchpointFactory()
    for index in range(6):
        _follow_up(touchpoint, timezone.now() - dt.timedelta(days=100), index % 2 == 0, rng)
    figures = recovery(UserFactory(is_superuser=True))
    assert figures.in_time.follow_ups == 3
    assert figures.in_time.came_back_percent is None
    assert figures.in_time.came_back_interval is None
    assert figures.came_back_difference is None
    assert figures.change_difference is None


def test_the_improvements_page_and_the_api_show_recovery(client_for, cx_manager, head_b, staff_a):
    rng = random.Random(3)
    touchpoint = TouchpointFactory()
    for index in range(4):
        _follow_up(touchpoint, timezone.now() - dt.timedelta(days=100), index % 2 == 0, rng)
    page = client_for(cx_manager).get("/dashboards/improvements/")
    assert "Does closing the loop keep customers?" in page.content.decode()
    body = client_for(cx_manager).get("/api/v1/follow-up-figures/recovery/").json()
    assert body["window_days"] == 90
    assert body["in_time"]["follow_ups"] == 2 and body["late"]["follow_ups"] == 2
    assert body["in_time"]["came_back_percent"] is None  # below the minimum sample
    other = client_for(head_b).get("/api/v1/follow-up-figures/recovery/").json()
    assert other["in_time"]["follow_ups"] == 0
    assert client_for(staff_a).get("/api/v1/follow-up-figures/recovery/").status_code == 403
