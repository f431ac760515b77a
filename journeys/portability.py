"""A journey as a JSON document: export, validated import, and the built-in starters.

The document names touchpoints and departments rather than ids, so a map moves between
installations. On import a department is matched by its name or one of the names it
also goes by (`department_aliases`), and a touchpoint by its department and name; what
exists is reused (with all its data), the rest is created, a new department in a colour
unlike the existing ones'. The whole document is checked before anything is written, and
written in one transaction; what was created and what was reused is reported.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from rest_framework import serializers

from journeys.models import Journey, JourneyKind, JourneyState, Stage, Step
from touchpoints.colours import distinct_colour
from touchpoints.models import Audience, Channel, Department, Touchpoint

FORMAT = "touchstone.journey"
VERSION = 1
STARTERS_DIR = Path(__file__).with_name("starters")

# Document key -> Touchpoint field, for the service standards.
STANDARDS = {
    "wait_seconds": "target_wait_seconds",
    "response_seconds": "target_response_seconds",
    "resolution_seconds": "target_resolution_seconds",
    "first_contact_resolution_percent": "target_first_contact_resolution",
}


class ImportProblems(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Imported:
    journey: Journey
    touchpoints_created: int = 0
    touchpoints_reused: int = 0
    departments_created: list[str] = field(default_factory=list)
    departments_reused: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What the import did, for the person who asked for it."""
        parts = [
            f"{self.touchpoints_created} touchpoint{'s' * (self.touchpoints_created != 1)} "
            f"created, {self.touchpoints_reused} existing one"
            f"{'s' * (self.touchpoints_reused != 1)} reused"
        ]
        if self.departments_created:
            parts.append(f"new department{'s' * (len(self.departments_created) > 1)}: "
                         f"{', '.join(self.departments_created)}")  # fmt: skip
        if self.departments_reused:
            parts.append(f"placed in your existing {', '.join(self.departments_reused)}")
        return "; ".join(parts) + "."


# --- Export ------------------------------------------------------------------------------


def export_journey(journey: Journey) -> dict:
    steps = Step.objects.select_related("touchpoint__department").order_by("position")
    stages = journey.stages.order_by("position").prefetch_related(Prefetch("steps", steps))
    return {
        "format": FORMAT,
        "version": VERSION,
        "journey": {
            "name": journey.name,
            "description": journey.description,
            "kind": journey.kind,
            "state": journey.state,
            "persona": journey.persona,
            "stages": [
                {
                    "name": stage.name,
                    "customer_goal": stage.customer_goal,
                    "touchpoints": [
                        _touchpoint_document(step.touchpoint) for step in stage.steps.all()
                    ],
                }
                for stage in stages
            ],
        },
    }


def _touchpoint_document(touchpoint: Touchpoint) -> dict:
    # An export names the department as this installation does: no aliases needed.
    standards = {
        key: getattr(touchpoint, field)
        for key, field in STANDARDS.items()
        if getattr(touchpoint, field) is not None
    }
    return {
        "name": touchpoint.name,
        "department": touchpoint.department.name,
        "department_colour": touchpoint.department.colour,
        "channel": touchpoint.channel,
        "audience": touchpoint.audience,
        "description": touchpoint.description,
        "effort_estimate": touchpoint.effort_estimate,
        "standards": standards,
    }


# --- Validation --------------------------------------------------------------------------


class StandardsIn(serializers.Serializer):
    wait_seconds = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    response_seconds = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    resolution_seconds = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    first_contact_resolution_percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )


class TouchpointIn(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    department = serializers.CharField(max_length=120)
    # Other names the department goes by elsewhere: an existing one of them is used.
    department_aliases = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, default=list, max_length=10
    )
    department_colour = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$",
        required=False,
        error_messages={"invalid": "Use a hex colour such as #4f46e5."},
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.CUSTOMER)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    effort_estimate = serializers.IntegerField(min_value=1, max_value=5, default=3)
    standards = StandardsIn(required=False, default=dict)


class StageIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    customer_goal = serializers.CharField(allow_blank=True, required=False, default="")
    touchpoints = TouchpointIn(many=True, required=False, default=list)

    def validate_touchpoints(self, touchpoints):
        keys = [_key(tp) for tp in touchpoints]
        twice = sorted(
            {f"{tp['name']} ({tp['department']})" for tp in touchpoints if keys.count(_key(tp)) > 1}
        )
        if twice:
            raise serializers.ValidationError(f"placed twice on this stage: {', '.join(twice)}")
        return touchpoints


class JourneyIn(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    kind = serializers.ChoiceField(choices=JourneyKind.choices, default=JourneyKind.CUSTOMER)
    state = serializers.ChoiceField(choices=JourneyState.choices, default=JourneyState.CURRENT)
    persona = serializers.CharField(max_length=160, allow_blank=True, required=False, default="")
    stages = StageIn(many=True, allow_empty=True)


class DocumentIn(serializers.Serializer):
    format = serializers.ChoiceField(choices=[FORMAT])
    version = serializers.ChoiceField(choices=[VERSION])
    journey = JourneyIn()


def _key(touchpoint: dict) -> tuple[str, str]:
    return (touchpoint["department"].casefold(), touchpoint["name"].casefold())


def validate_document(data) -> dict:
    """The document's content, or ImportProblems naming each wrong field by its path."""
    if not isinstance(data, dict):
        raise ImportProblems(
            ["The document must be a JSON object with format, version and journey."]
        )
    checked = DocumentIn(data=data)
    if not checked.is_valid():
        raise ImportProblems(list(_flatten(checked.errors)))
    journey = checked.validated_data["journey"]
    _check_consistent(journey)
    return journey


def _flatten(errors, path=""):
    if isinstance(errors, dict):  # fields by name, or (for lists) items by index
        for key, value in errors.items():
            if key == "non_field_errors":
                name = path
            elif isinstance(key, int):
                name = f"{path}[{key}]"
            else:
                name = f"{path}.{key}" if path else key
            yield from _flatten(value, name)
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str):
        for index, value in enumerate(errors):
            if value:
                yield from _flatten(value, f"{path}[{index}]")
    else:
        for message in errors:
            yield f"{path or 'document'}: {message}"


def _check_consistent(journey: dict) -> None:
    """One touchpoint described twice in a file must be described the same way."""
    seen, problems = {}, []
    for s, stage in enumerate(journey["stages"]):
        for t, touchpoint in enumerate(stage["touchpoints"]):
            first = seen.setdefault(_key(touchpoint), (touchpoint, f"stages[{s}].touchpoints[{t}]"))
            for name in ("channel", "audience"):
                if first[0][name] != touchpoint[name]:
                    problems.append(
                        f"journey.stages[{s}].touchpoints[{t}].{name}: “{touchpoint['name']}” "
                        f"is {touchpoint[name]} here but {first[0][name]} at journey.{first[1]}"
                    )
    if problems:
        raise ImportProblems(problems)


# --- Import ------------------------------------------------------------------------------


def parse_document(text: str | bytes):
    try:
        return json.loads(text)
    except UnicodeDecodeError as error:
        raise ImportProblems([f"The file is not UTF-8 text: {error.reason}."]) from error
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [f"Not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}."]
        ) from error
    except RecursionError:
        raise ImportProblems(["Not a journey: the document is nested too deep."]) from None


def import_document(data, owner=None) -> Imported:
    journey = validate_document(data)
    with transaction.atomic():
        return _write(journey, owner)


def _write(document: dict, owner) -> Imported:
    fields = {k: document[k] for k in ("description", "kind", "state", "persona")}
    journey = Journey.objects.create(owner=owner, name=_free_name(document["name"]), **fields)
    imported = Imported(journey)
    departments = {d.name.casefold(): d for d in Department.objects.all()}
    placed_in: dict[str, Department] = {}  # the document's department name -> the one used
    touchpoints: dict[tuple[str, str], Touchpoint] = {}
    for position, stage_doc in enumerate(document["stages"]):
        stage = Stage.objects.create(
            journey=journey,
            name=stage_doc["name"],
            customer_goal=stage_doc["customer_goal"],
            position=position,
        )
        for index, doc in enumerate(stage_doc["touchpoints"]):
            key = _key(doc)
            if key not in touchpoints:
                if key[0] not in placed_in:
                    placed_in[key[0]] = _department_for(doc, departments, imported)
                department = placed_in[key[0]]
                existing = Touchpoint.objects.filter(
                    department=department, name__iexact=doc["name"]
                ).first()
                if existing:
                    imported.touchpoints_reused += 1
                else:
                    imported.touchpoints_created += 1
                touchpoints[key] = existing or _create_touchpoint(doc, department)
            Step.objects.create(stage=stage, touchpoint=touchpoints[key], position=index)
    return imported


def _free_name(name: str) -> str:
    """The journey's name, marked when the installation has a journey of that name (an
    export imported back, a template started twice), so the two can be told apart."""
    taken = set(Journey.objects.filter(name__istartswith=name).values_list("name", flat=True))
    candidates = [name, f"{name} (imported)", *(f"{name} (imported {n})" for n in range(2, 100))]
    return next((c for c in candidates if c not in taken), candidates[-1])


def _department_for(doc: dict, departments: dict, imported: Imported) -> Department:
    """An existing department of the document's name or one of its aliases, else a new
    one, coloured apart from the others."""
    for name in (doc["department"], *doc["department_aliases"]):
        if (found := departments.get(name.casefold())) is not None:
            imported.departments_reused.append(found.name)
            return found
    colour = distinct_colour(
        doc.get("department_colour", "#4f46e5"), [d.colour for d in departments.values()]
    )
    department = Department.objects.create(name=doc["department"], colour=colour)
    departments[doc["department"].casefold()] = department
    imported.departments_created.append(department.name)
    return department


def _create_touchpoint(doc: dict, department: Department) -> Touchpoint:
    standards = {field: doc["standards"].get(key) for key, field in STANDARDS.items()}
    return Touchpoint.objects.create(
        name=doc["name"],
        department=department,
        channel=doc["channel"],
        audience=doc["audience"],
        description=doc["description"],
        effort_estimate=doc["effort_estimate"],
        **standards,
    )


# --- Starters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Starter:
    slug: str
    name: str
    description: str
    stage_names: list[str]


def starters() -> list[Starter]:
    found = []
    for path in sorted(STARTERS_DIR.glob("*.json")):
        journey = json.loads(path.read_text())["journey"]
        stage_names = [stage["name"] for stage in journey["stages"]]
        found.append(Starter(path.stem, journey["name"], journey["description"], stage_names))
    return found


def start_from(slug: str, owner) -> Imported:
    path = STARTERS_DIR / f"{slug}.json"
    if slug not in {starter.slug for starter in starters()}:
        raise KeyError(slug)
    return import_document(json.loads(path.read_text()), owner)
