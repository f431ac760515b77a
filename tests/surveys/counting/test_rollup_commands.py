import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from surveys.counting.aggregation import rollups_differences, rollups_drain_all, rollups_rebuild_all
from surveys.models import (
    Response,
    TouchpointDailyScore,
    TouchpointMonthlyScore,
    TouchpointSegmentDailyScore,
    UncountedResponse,
)
from tests.factories import ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    touchpoints = [TouchpointFactory() for _ in range(3)]
    for index, touchpoint in enumerate(touchpoints):
        for day in range(1, 40, 7):
            ResponseFactory(
                invitation__interaction__touchpoint=touchpoint,
                submitted_at=dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=day),
                experience=index + 1,
            )
    rollups_rebuild_all()
    return touchpoints


def test_verify_reports_a_match(answered, capsys):
    call_command("verify_rollups")
    assert "match" in capsys.readouterr().out


def test_verify_says_what_waits_for_a_worker_and_compares_what_is_counted(answered, capsys):
    # An answer as a link writes it: no save signal, listed to be added.
    (waiting,) = Response.objects.bulk_create(
        [ResponseFactory.build(invitation=None, touchpoint=answered[0], day=dt.date(2026, 5, 2))]
    )
    UncountedResponse.objects.create(response=waiting)
    call_command("verify_rollups")
    out = capsys.readouterr().out
    assert "1 answers and 0 answered invitations to add, 0 days to recount" in out
    assert "match" in out


def test_verify_reports_and_repairs_a_tampered_rollup(answered, capsys):
    TouchpointDailyScore.objects.filter(touchpoint=answered[0]).update(sum_gap=1000)
    TouchpointMonthlyScore.objects.filter(touchpoint=answered[1]).delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("verify_rollups")
    assert f"touchpoint {answered[0].pk}" in capsys.readouterr().out
    call_command("verify_rollups", repair=True)
    assert rollups_differences() == []


def test_verify_names_a_differing_segment_rollup_by_its_whole_key(answered, capsys):
    row = TouchpointSegmentDailyScore.objects.filter(touchpoint=answered[2]).first()
    TouchpointSegmentDailyScore.objects.filter(pk=row.pk).update(responses=99)
    with pytest.raises(CommandError, match="1 rollups differ"):
        call_command("verify_rollups")
    out = capsys.readouterr().out
    assert f"touchpoint {answered[2].pk} {row.day} {row.segment} {row.is_prospect}" in out
    assert "responses=99" in out


def test_rebuild_recomputes_everything_in_batches(answered, capsys):
    TouchpointDailyScore.objects.all().delete()
    TouchpointMonthlyScore.objects.update(responses=0)
    call_command("rebuild_rollups", batch=2, verbosity=0)
    assert "Rebuilt" in capsys.readouterr().out
    assert rollups_differences() == []
    assert TouchpointMonthlyScore.objects.filter(responses=0).count() == 0


def test_a_customer_moving_segment_moves_their_answers_and_the_repair_mends_segments(
    answered, capsys
):
    customer = (
        Response.objects.filter(touchpoint=answered[0]).first().invitation.interaction.customer
    )
    customer.segment = "Contractor"
    customer.save()  # as the admin, or an import naming a new segment, saves it
    rollups_drain_all()
    assert rollups_differences() == []
    assert TouchpointSegmentDailyScore.objects.filter(segment="Contractor").exists()
    # A segment's row out of step: reported by its whole key, and repaired.
    TouchpointSegmentDailyScore.objects.filter(segment="Contractor").update(responses=99)
    with pytest.raises(CommandError):
        call_command("verify_rollups")
    call_command("verify_rollups", repair=True)
    assert "Repaired" in capsys.readouterr().out and rollups_differences() == []
