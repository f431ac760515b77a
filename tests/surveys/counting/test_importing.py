"""Historical answers from CSV: COPY into staging, every line checked, all or nothing."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from surveys.counting.aggregation import rollups_differences
from surveys.counting.importing import ImportRejected, responses_import
from surveys.models import DirtyRollup, Response, TouchpointDailyScore
from tests.factories import TouchpointFactory

pytestmark = pytest.mark.django_db

HEADER = "touchpoint,submitted_at,expectation,experience,csat,nps,effort,comment,language\n"


@pytest.fixture
def hotline(db):
    return TouchpointFactory(name="Service hotline")


def run(text, **options):
    return responses_import(io.StringIO(text), **options)


def test_good_file_is_imported_and_rolled_up(hotline):
    result = run(
        HEADER
        + f'{hotline.pk},2026-03-10T09:30:00+01:00,6,2,2,3,6,"On hold, again",en\n'
        + "Service hotline,2026-03-10 18:00,5,5,4,9,2,,de\n"
        + f"{hotline.pk},2026-03-11,,,,10,,,\n",
    )
    assert (result.imported, result.skipped) == (3, 0)
    answers = list(Response.objects.order_by("submitted_at"))
    assert answers[0].comment == "On hold, again"
    assert answers[0].submitted_at == dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
    assert answers[1].language == "de"
    assert answers[2].expectation is None and answers[2].nps == 10
    assert [a.day for a in answers] == [dt.date(2026, 3, 10)] * 2 + [dt.date(2026, 3, 11)]
    assert TouchpointDailyScore.objects.get(day=dt.date(2026, 3, 10)).responses == 2
    assert not DirtyRollup.objects.exists()
    assert rollups_differences() == []


def test_bad_lines_are_named_and_nothing_is_written(hotline):
    text = (
        HEADER
        + f"{hotline.pk},2026-03-10T09:30:00,6,2,2,3,6,,en\n"
        + "Nowhere,2026-03-10T09:30:00,6,2,2,3,6,,en\n"
        + f"{hotline.pk},yesterday,6,2,2,3,6,,en\n"
        + f"{hotline.pk},2026-03-10T09:30:00,9,2,2,3,6,,en\n"
        + f"{hotline.pk},2026-03-10T09:30:00,6,2,2,11,x,,en\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        run(text)
    errors = rejected.value.errors
    assert any(e.startswith("line 3: touchpoint 'Nowhere'") for e in errors)
    assert any(e.startswith("line 4: submitted_at 'yesterday'") for e in errors)
    assert "line 5: expectation must be 1-7, not '9'" in errors
    assert "line 6: nps must be 0-10, not '11'" in errors
    assert "line 6: effort must be 1-7, not 'x'" in errors
    assert not any(e.startswith("line 2") for e in errors)
    assert not Response.objects.exists()
    assert not DirtyRollup.objects.exists()


def test_skip_invalid_imports_exactly_the_good_lines(hotline):
    text = (
        HEADER
        + f"{hotline.pk},2026-03-10T09:30:00,6,2,2,3,6,,en\n"
        + f"{hotline.pk},2026-02-30T09:30:00,6,2,2,3,6,,en\n"
        + f"{hotline.pk},2026-03-12T09:30:00,6,0,2,3,6,,en\n"
    )
    result = run(text, skip_invalid=True)
    assert (result.imported, result.skipped) == (1, 2)
    assert any(e.startswith("line 3: submitted_at '2026-02-30T09:30:00'") for e in result.errors)
    assert Response.objects.get().day == dt.date(2026, 3, 10)
    assert rollups_differences() == []


def test_impossible_date_rejects_the_file(hotline):
    with pytest.raises(ImportRejected) as rejected:
        run(HEADER + f"{hotline.pk},2026-02-30T09:30:00,6,2,2,3,6,,en\n")
    assert rejected.value.errors[0].startswith("line 2: submitted_at '2026-02-30T09:30:00'")
    assert not Response.objects.exists()


def test_ambiguous_touchpoint_name_is_refused(hotline):
    TouchpointFactory(name="Service hotline")  # same name, another department
    with pytest.raises(ImportRejected) as rejected:
        run(HEADER + "Service hotline,2026-03-10,6,2,2,3,6,,en\n")
    assert "is not one known touchpoint" in rejected.value.errors[0]


def test_unknown_and_missing_columns_are_named(hotline):
    with pytest.raises(ImportRejected) as rejected:
        run("touchpoint,when,score\n1,2026-03-10,5\n")
    assert rejected.value.errors == [
        "line 1: unknown column 'when'",
        "line 1: unknown column 'score'",
        "line 1: missing column 'submitted_at'",
    ]


def test_command_reports_lines_and_fails(hotline, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{hotline.pk},2026-03-10,8,2,2,3,6,,en\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_responses", str(bad))
    assert "line 2: expectation must be 1-7" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"{hotline.pk},2026-03-10,6,2,2,3,6,,en\n", encoding="utf-8")
    call_command("import_responses", str(good))
    assert "Imported 1 answers" in capsys.readouterr().out


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_responses", str(tmp_path / "absent.csv"))


def test_a_numeric_name_never_shadows_an_id(hotline):
    numeric = TouchpointFactory(name=str(hotline.pk))
    run(HEADER + f"{hotline.pk},2026-03-10,6,2,2,3,6,,en\n")
    assert Response.objects.get().touchpoint == hotline
    assert numeric.responses.count() == 0
