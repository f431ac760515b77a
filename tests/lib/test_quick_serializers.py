"""The quick batch path through the API's serializers gives exactly DRF's own results: the
same validated data, the same errors, the same output, item for item."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from lib.quick_serializers import QuickListSerializer
from surveys.asking.intake import CustomerDetails, Recorded, record_interactions
from surveys.asking.serializers import InteractionInSerializer, InteractionSerializer
from surveys.complaints.serializers import ComplaintInSerializer, ComplaintSerializer
from surveys.models import ComplaintSource
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    StaffFactory,
    SurveyFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def places(department_a):
    hotline = TouchpointFactory(name="Hotline", department=department_a)
    agent = StaffFactory(department=department_a, email="agent@example.com")
    return hotline, agent


def base(hotline) -> dict:
    return {
        "external_id": "CALL-1",
        "touchpoint": hotline.pk,
        "customer": {"email": "ann@example.com"},
        "occurred_at": (NOW - dt.timedelta(minutes=5)).isoformat(),
        "outcome": "resolved",
    }


VARIANTS = [
    {},
    {"external_id": "  padded  "},
    {"external_id": ""},
    {"external_id": None},
    {"external_id": "nul\x00"},
    {"external_id": "surrogate \ud800"},
    {"external_id": "x" * 121},
    {"external_id": 12345},
    {"external_id": True},
    {"touchpoint": "hotline"},
    {"touchpoint": "HOTLINE "},
    {"touchpoint": "999999"},
    {"touchpoint": "99999999999999999999999"},
    {"touchpoint": "²"},
    {"touchpoint": ""},
    {"touchpoint": None},
    {"touchpoint": [1]},
    {"customer": {"email": "  Ann@Example.com "}},
    {"customer": {"email": "not-an-email"}},
    {"customer": {"email": "zoë@exämple.com", "name": "Zoë"}},
    {"customer": {"email": "a@b.co", "external_ref": "", "language": "de", "segment": "vip"}},
    {"customer": {"email": "a@b.co", "unknown": "ignored"}},
    {"customer": {}},
    {"customer": None},
    {"customer": "ann@example.com"},
    {"occurred_at": "2026-01-02T03:04:05Z"},
    {"occurred_at": "2026-01-02T03:04:05+02:00"},
    {"occurred_at": "2026-01-02T03:04:05"},
    {"occurred_at": "2026-13-02T03:04:05Z"},
    {"occurred_at": "yesterday"},
    {"occurred_at": (NOW + dt.timedelta(hours=2)).isoformat()},
    {"occurred_at": 1700000000},
    {"outcome": "abandoned"},
    {"outcome": "nonsense"},
    {"outcome": 3},
    {"handled_by": "agent@example.com"},
    {"handled_by": None},
    {"handled_by": "nobody@example.com"},
    {"wait_seconds": 95},
    {"wait_seconds": "95"},
    {"wait_seconds": -1},
    {"wait_seconds": 1.5},
    {"wait_seconds": True},
    {"wait_seconds": None},
    {"first_contact_resolution": True},
    {"first_contact_resolution": "yes"},
    {"first_contact_resolution": None},
    {"surplus": "ignored"},
]


def drf_own(serializer_class, items, **context):
    """The same serializer through DRF's plain ListSerializer."""
    plain = serializers.ListSerializer(
        child=serializer_class(), data=items, context={"lookups": {}, **context}
    )
    plain.is_valid()
    return plain


@pytest.mark.parametrize("timezone_name", ["UTC", "Europe/Berlin"])
def test_interactions_validate_as_drf_does(places, settings, timezone_name):
    settings.TIME_ZONE = timezone_name
    hotline, _ = places
    items = [{**base(hotline), **variant} for variant in VARIANTS]
    items += [{k: v for k, v in base(hotline).items() if k != name} for name in base(hotline)]
    items += ["not an object", None]
    with timezone.override(timezone_name):
        quick = InteractionInSerializer(data=items, many=True, context={})
        assert isinstance(quick, QuickListSerializer)
        quick.is_valid()
        plain = drf_own(InteractionInSerializer, items)
    assert quick.errors == plain.errors
    assert 10 < len(quick.errors) < len(items) - 10
    clean = [item for index, item in enumerate(items) if not plain.errors.get(index)]
    with timezone.override(timezone_name):
        quick = InteractionInSerializer(data=clean, many=True, context={})
        assert quick.is_valid(), quick.errors
        assert quick.validated_data == drf_own(InteractionInSerializer, clean).validated_data


def test_clean_items_take_the_quick_way(places, monkeypatch):
    hotline, _ = places
    items = [{**base(hotline), "external_id": f"CALL-{n}", "wait_seconds": n} for n in range(50)]

    def refused(*args, **kwargs):
        raise AssertionError("a clean item went through DRF's field-by-field validation")

    monkeypatch.setattr(InteractionInSerializer, "run_validation", refused)
    batch = InteractionInSerializer(data=items, many=True, context={})
    assert batch.is_valid(), batch.errors
    assert [data["wait_seconds"] for data in batch.validated_data] == list(range(50))


def test_complaints_validate_as_drf_does(places, department_b):
    hotline, agent = places
    elsewhere = StaffFactory(department=department_b)
    good = {
        "touchpoint": hotline.pk,
        "source": ComplaintSource.EMAIL,
        "received_at": NOW.isoformat(),
        "text": "Nobody called back",
    }
    items = [
        good,
        {**good, "owner": agent.email, "customer": {"email": "a@b.co"}},
        {**good, "owner": elsewhere.pk},  # the serializer's validate() refuses it
        {**good, "text": "   "},
        {**good, "customer": None},
        {**good, "source": "pigeon"},
    ]
    quick = ComplaintInSerializer(data=items, many=True, context={})
    quick.is_valid()
    plain = drf_own(ComplaintInSerializer, items)
    assert quick.errors == plain.errors and set(quick.errors) == {2, 3, 5}


def test_records_are_shown_as_drf_shows_them(places, settings):
    settings.TIME_ZONE = "America/New_York"
    hotline, agent = places
    surveyed = TouchpointFactory(
        department=hotline.department, surveyed=True, survey=SurveyFactory()
    )
    recorded: list[Recorded] = record_interactions(
        [
            {
                "touchpoint": place,
                "customer": CustomerDetails(f"c{n}@example.com", external_ref=ref),
                "occurred_at": NOW - dt.timedelta(minutes=n),
                "outcome": "resolved",
                "handled_by": agent if n % 2 else None,
                "wait_seconds": n or None,
                "external_id": f"X-{n}" if n % 3 else None,
            }
            for n, (place, ref) in enumerate(
                [(hotline, None), (surveyed, "CRM-1"), (surveyed, None), (hotline, "CRM-2")]
            )
        ]
    )
    records = [result.interaction for result in recorded]
    assert any(getattr(i, "invitation", None) for i in records)
    with timezone.override("America/New_York"):
        quick = InteractionSerializer(records, many=True).data
        assert quick == [InteractionSerializer(record).data for record in records]
        assert quick[0]["occurred_at"].endswith("-05:00") or quick[0]["occurred_at"].endswith(
            "-04:00"
        )
    complaints = [
        ComplaintFactory(touchpoint=hotline, customer=CustomerFactory()),
        ComplaintFactory(touchpoint=hotline, customer=None),
    ]
    assert ComplaintSerializer(complaints, many=True).data == [
        ComplaintSerializer(complaint).data for complaint in complaints
    ]
