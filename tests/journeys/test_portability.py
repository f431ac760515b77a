"""Journeys as JSON: export, import (all checked first, nothing written on error), starters."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journeys.editing import add_stage, place_touchpoint
from journeys.models import Journey, Stage, Step
from journeys.portability import (
    ImportProblems,
    export_journey,
    import_document,
    parse_document,
    start_from,
    starters,
)
from tests.factories import DepartmentFactory, JourneyFactory, TouchpointFactory
from touchpoints.colours import PALETTE, TOO_CLOSE, difference, distinct_colour
from touchpoints.models import Department, Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    journey = JourneyFactory(name="Buying a floor", persona="Homeowner")
    service = DepartmentFactory(name="Customer Service", colour="#dc2626")
    hotline = TouchpointFactory(
        name="Hotline", department=service, target_wait_seconds=120, effort_estimate=2
    )
    showroom = TouchpointFactory(name="Showroom", channel="store", department=service)
    discover, choose = add_stage(journey, "Discover", "Ideas"), add_stage(journey, "Choose")
    place_touchpoint(discover, showroom.pk)
    place_touchpoint(discover, hotline.pk)
    place_touchpoint(choose, hotline.pk)
    return journey


def shape(journey):
    return [
        (stage.name, [step.touchpoint_id for step in stage.steps.order_by("position")])
        for stage in journey.stages.order_by("position")
    ]


def test_export_then_import_gives_the_same_map_on_the_same_touchpoints(journey):
    document = json.loads(json.dumps(export_journey(journey)))
    assert document["journey"]["stages"][0]["touchpoints"][1]["standards"] == {"wait_seconds": 120}
    imported = import_document(document)
    assert imported.touchpoints_reused == 2 and imported.touchpoints_created == 0
    assert shape(imported.journey) == shape(journey)
    assert imported.journey.persona == "Homeowner" and imported.journey.pk != journey.pk
    # Beside its original, the copy says where it came from.
    assert imported.journey.name == "Buying a floor (imported)"
    assert import_document(document).journey.name == "Buying a floor (imported 2)"


def test_import_on_another_installation_creates_departments_and_touchpoints(journey):
    document = export_journey(journey)
    Journey.objects.all().delete()
    Touchpoint.objects.all().delete()
    Department.objects.all().delete()
    imported = import_document(document)
    assert (imported.departments_created, imported.touchpoints_created) == (["Customer Service"], 2)
    assert imported.journey.name == "Buying a floor"  # nothing of that name here
    hotline = Touchpoint.objects.get(name="Hotline")
    assert hotline.target_wait_seconds == 120 and hotline.effort_estimate == 2
    assert hotline.department.colour == "#dc2626"
    names = [
        [s.touchpoint.name for s in st.steps.order_by("position")]
        for st in imported.journey.stages.order_by("position")
    ]
    assert names == [["Showroom", "Hotline"], ["Hotline"]]


def test_every_problem_is_named_by_its_path_and_nothing_is_written(journey):
    document = copy.deepcopy(export_journey(journey))
    stages = document["journey"]["stages"]
    stages[0]["touchpoints"][0]["channel"] = "fax"
    stages[1]["name"] = ""
    stages[1]["touchpoints"][0]["standards"]["wait_seconds"] = -5
    document["journey"]["kind"] = "partner"
    counts = (
        Journey.objects.count(),
        Stage.objects.count(),
        Step.objects.count(),
        Touchpoint.objects.count(),
    )
    with pytest.raises(ImportProblems) as rejected:
        import_document(document)
    problems = "\n".join(rejected.value.problems)
    assert "journey.kind:" in problems
    assert 'journey.stages[0].touchpoints[0].channel: "fax" is not a valid choice.' in problems
    assert "journey.stages[1].name: This field may not be blank." in problems
    assert "journey.stages[1].touchpoints[0].standards.wait_seconds:" in problems
    assert counts == (
        Journey.objects.count(),
        Stage.objects.count(),
        Step.objects.count(),
        Touchpoint.objects.count(),
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "must be a JSON object"),
        ({"format": "other", "version": 1, "journey": {}}, "format:"),
        (
            {"format": "touchstone.journey", "version": 9, "journey": {"name": "x", "stages": []}},
            "version:",
        ),
        ({"format": "touchstone.journey", "version": 1}, "journey: This field is required."),
    ],
)
def test_wrong_documents_are_refused_with_a_reason(document, message):
    with pytest.raises(ImportProblems) as rejected:
        import_document(document)
    assert message in "\n".join(rejected.value.problems)


def test_a_touchpoint_twice_on_a_stage_or_described_two_ways_is_refused(journey):
    document = copy.deepcopy(export_journey(journey))
    first = document["journey"]["stages"][0]["touchpoints"]
    first.append(dict(first[0]))
    with pytest.raises(ImportProblems) as twice:
        import_document(document)
    assert (
        "journey.stages[0].touchpoints: placed twice on this stage: Showroom (Customer Service)"
        in twice.value.problems[0]
    )
    document = copy.deepcopy(export_journey(journey))
    document["journey"]["stages"][1]["touchpoints"][0]["channel"] = "chat"
    with pytest.raises(ImportProblems) as two_ways:
        import_document(document)
    assert (
        "is chat here but phone at journey.stages[0].touchpoints[1]" in two_ways.value.problems[0]
    )


def test_text_that_is_not_json_says_where():
    with pytest.raises(ImportProblems) as rejected:
        parse_document('{"format": "touchstone.journey",\n  "version": }')
    assert rejected.value.problems == ["Not valid JSON: line 2, column 14: Expecting value."]


def test_every_starter_imports(cx_manager):
    slugs = {starter.slug for starter in starters()}
    assert slugs == {"retail-purchase", "b2b-onboarding", "support-request"}
    for starter in starters():
        assert starter.stage_names
    first = start_from("support-request", cx_manager)
    again = start_from("support-request", cx_manager)
    assert first.touchpoints_created > 0 and again.touchpoints_created == 0
    assert shape(first.journey) == shape(again.journey)
    assert first.journey.owner == cx_manager
    assert (first.journey.name, again.journey.name) == (
        "Support request",
        "Support request (imported)",
    )
    assert sorted(again.departments_reused) == ["Customer Service", "Support"]


def test_a_template_uses_the_departments_it_fits_and_says_what_it_made(cx_manager):
    DepartmentFactory(name="Help Desk", colour="#2563eb")
    started = start_from("b2b-onboarding", cx_manager)
    # "Support" is what this installation calls its help desk: no second one is made.
    assert "Help Desk" in started.departments_reused
    assert "Support" not in Department.objects.values_list("name", flat=True)
    assert set(started.departments_created) == {"Account Management", "Billing", "IT",
                                                "Onboarding", "Sales"}  # fmt: skip
    summary = started.summary()
    assert "new departments: " in summary and "placed in your existing Help Desk" in summary
    # The template's blue for Sales looks like the Help Desk's own: it gets its own colour.
    colours = list(Department.objects.values_list("colour", flat=True))
    assert all(
        difference(one, other) >= TOO_CLOSE
        for i, one in enumerate(colours)
        for other in colours[i + 1 :]
    )


def test_a_colour_unlike_the_others_is_kept_and_a_lookalike_replaced():
    assert distinct_colour("#16a34a", ["#dc2626", "#2563eb"]) == "#16a34a"
    replaced = distinct_colour("#be123c", ["#dc2626", "#2563eb"])
    assert replaced in PALETTE and difference(replaced, "#dc2626") >= TOO_CLOSE


def test_pages_export_import_and_start_from_a_template(client_for, cx_manager, journey):
    client = client_for(cx_manager)
    exported = client.get(f"/journeys/{journey.pk}/export/")
    assert exported["Content-Disposition"] == 'attachment; filename="buying-a-floor.json"'
    page = client.post("/journeys/import/", {"text": exported.content.decode()})
    copy_ = Journey.objects.exclude(pk=journey.pk).get()
    assert page.status_code == 302 and page["Location"] == f"/journeys/{copy_.pk}/"
    bad = client.post("/journeys/import/", {"text": '{"format": "touchstone.journey"}'})
    assert bad.status_code == 400 and "version: This field is required." in bad.content.decode()
    empty = client.post("/journeys/import/", {})
    assert empty.status_code == 400 and "Choose a file" in empty.content.decode()
    started = client.post("/journeys/new/retail-purchase/", follow=True)
    assert Journey.objects.get(name="Retail purchase").stages.count() == 5
    told = started.content.decode()
    assert "started from a template: " in told and "new departments: " in told
    assert client.post("/journeys/new/no-such-template/").status_code == 404
    assert "Retail purchase" in client.get("/journeys/new/").content.decode()


def test_a_file_upload_imports_too(client_for, cx_manager, journey):
    body = json.dumps(export_journey(journey)).encode()
    upload = SimpleUploadedFile("map.json", body, content_type="application/json")
    page = client_for(cx_manager).post("/journeys/import/", {"file": upload})
    assert page.status_code == 302 and Journey.objects.count() == 2
    not_utf8 = SimpleUploadedFile("map.json", b"\xff\xfe{", content_type="application/json")
    page = client_for(cx_manager).post("/journeys/import/", {"file": not_utf8})
    assert page.status_code == 400 and Journey.objects.count() == 2
