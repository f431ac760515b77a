"""The one validation of an incoming interaction, shared by the API and the CSV import;
the fields every incoming record shares (a customer, a lookup by id or natural key, a
plausible moment); surveys, invitations and answers as the API shows them."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lib.quick_serializers import QuickListSerializer
from surveys.asking.intake import CustomerDetails, record_interactions
from surveys.models import (
    Invitation,
    Response,
    Survey,
)
from touchpoints.identity import Reporter
from touchpoints.models import Interaction, Outcome, Staff, Touchpoint

# Clocks of source systems drift; an interaction from further in the future is a mistake.
CLOCK_SKEW = dt.timedelta(minutes=10)


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "id or natural key"}
)
class LookupField(serializers.RelatedField):
    """A related object by id, or by a natural key (a touchpoint's name, a staff email)
    that CSV files from other systems carry more often than our ids."""

    def __init__(self, natural_key: str, noun: str, **kwargs):
        self.natural_key, self.noun = natural_key, noun
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = str(data).strip()
        if "\x00" in value:  # no database takes it, and no name or email holds it
            raise serializers.ValidationError("null characters are not allowed")
        # The items of one batch share a context: a touchpoint named by all 1,000 is read once.
        cache = self._cache()
        key = self._key(value)
        if key not in cache:
            queryset = self.get_queryset()
            matches = (
                queryset.filter(pk=int(value))
                if _is_id(value)
                else queryset.filter(**{f"{self.natural_key}__iexact": value})
            )
            cache[key] = list(matches[:2])
        found = cache[key]
        if not found:
            raise serializers.ValidationError(f"unknown {self.noun} {value!r}")
        if len(found) > 1:
            raise serializers.ValidationError(f"{value!r} names several; use the {self.noun} id")
        return found[0]

    def warm(self, values) -> None:
        """Read the ids a whole batch names in one query, before its items are validated
        one by one (natural keys are still read once each)."""
        ids = {str(v).strip() for v in values if type(v) in (int, str)}
        ids = {int(v) for v in ids if _is_id(v)}
        if not ids:
            return
        found = {obj.pk: obj for obj in self.get_queryset().filter(pk__in=ids)}
        cache = self._cache()
        for pk in ids:
            cache[self._key(str(pk))] = [found[pk]] if pk in found else []

    def _cache(self) -> dict:
        return self.context.setdefault("lookups", {})

    def _key(self, value: str) -> tuple:
        return (type(self.parent).__name__, self.field_name, value.lower())

    def to_representation(self, value):
        return value.pk


def _is_id(value: str) -> bool:
    """An id rather than a name: ASCII digits that fit the database's bigint."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


class CustomerInSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, default=None
    )
    language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    segment = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


# A timed fact past ten years is a mistake (and past the column's range, 2^31 - 1, a 500).
MAX_SECONDS = 10 * 366 * 24 * 3600
# Nothing of a customer's is older: earlier moments are typos (0001-01-01 from a blank).
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _optional_seconds():
    return serializers.IntegerField(
        min_value=0, max_value=MAX_SECONDS, required=False, allow_null=True, default=None
    )


def plausible_moment(value: dt.datetime) -> dt.datetime:
    """A moment a record may carry: not in the future (past some clock drift), not before
    1970; the error says which."""
    if value > timezone.now() + CLOCK_SKEW:
        raise serializers.ValidationError("is in the future")
    if value < EARLIEST:
        raise serializers.ValidationError("is before 1970")
    return value


class InteractionInSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, default=None
    )
    touchpoint = LookupField(
        "name", "touchpoint", queryset=Touchpoint.objects.select_related("survey")
    )
    customer = CustomerInSerializer()
    occurred_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    handled_by = LookupField(
        "email", "staff member", queryset=Staff.objects.all(), required=False, allow_null=True
    )
    wait_seconds = _optional_seconds()
    response_seconds = _optional_seconds()
    resolution_seconds = _optional_seconds()
    first_contact_resolution = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )

    class Meta:
        list_serializer_class = QuickListSerializer  # batches of up to 1,000

    def validate_occurred_at(self, value):
        return plausible_moment(value)

    @staticmethod
    def record_all(validated: list[dict], reporter: Reporter | None = None) -> list:
        """Record validated interactions through the one intake service, a batch in a few
        statements; returns its Recorded results."""
        return record_interactions(
            [{**data, "customer": CustomerDetails(**data["customer"])} for data in validated],
            reporter,
        )

    def save(self):
        self.recorded = self.record_all([self.validated_data])[0]
        return self.recorded


class InvitationBriefSerializer(serializers.Serializer):
    status = serializers.CharField()
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()


# One shared instance: a serializer per interaction would copy its fields each time.
_INVITATION_BRIEF = InvitationBriefSerializer()


class CustomerBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    external_ref = serializers.CharField(allow_null=True)


_CUSTOMER_BRIEF = CustomerBriefSerializer()


class ReadableCustomerMixin:
    """The record's customer, shown only to a caller who may read that customer: the
    viewset puts the ids they may read in the context ("readable_customers"); without
    them, none is shown."""

    @extend_schema_field(CustomerBriefSerializer(allow_null=True))
    def get_customer(self, record) -> dict | None:
        if record.customer_id not in self.context.get("readable_customers", ()):
            return None
        return _CUSTOMER_BRIEF.to_representation(record.customer)


class InteractionSerializer(ReadableCustomerMixin, serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()
    invitation = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = QuickListSerializer
        model = Interaction
        fields = [
            "id",
            "external_id",
            "touchpoint",
            "customer",
            "occurred_at",
            "outcome",
            "handled_by",
            "wait_seconds",
            "response_seconds",
            "resolution_seconds",
            "first_contact_resolution",
            "invitation",
            "created_at",
        ]
        read_only_fields = fields

    def get_invitation(self, interaction) -> dict | None:
        invitation = getattr(interaction, "invitation", None)
        return _INVITATION_BRIEF.to_representation(invitation) if invitation else None


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = [
            "id",
            "name",
            "audience",
            "intro",
            "asks_expectation_experience",
            "asks_csat",
            "asks_nps",
            "asks_effort",
            "asks_comment",
            "languages",
            "reminder_after_days",
            "expires_after_days",
            "is_active",
            "anonymous",
        ]

    def validate(self, attrs):
        asks = [name for name in self.Meta.fields if name.startswith("asks_")]
        own = getattr(self.instance, "asks_own_questions", False)
        if not own and not any(
            attrs.get(name, getattr(self.instance, name, True)) for name in asks
        ):
            raise serializers.ValidationError({"non_field_errors": ["a survey must ask something"]})
        return attrs


_MOMENT = serializers.DateTimeField()


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as integrations may see it: never its link or token. Of an anonymous
    survey's invitation, whether and when it was answered is not shown (it reads "sent",
    with no reminder or answer time): with it, an answer could be paired with its person
    by the day it came and who else answered that day."""

    touchpoint = serializers.IntegerField(source="interaction.touchpoint_id", read_only=True)
    status = serializers.CharField(source="public_status", read_only=True)
    reminded_at = serializers.SerializerMethodField()
    answered_at = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "interaction",
            "touchpoint",
            "survey",
            "status",
            "due_at",
            "sent_at",
            "reminded_at",
            "answered_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_reminded_at(self, invitation) -> dt.datetime | None:
        return self._unless_anonymous(invitation, invitation.reminded_at)

    def get_answered_at(self, invitation) -> dt.datetime | None:
        return self._unless_anonymous(invitation, invitation.answered_at)

    def _unless_anonymous(self, invitation, moment) -> str | None:
        if moment is None or invitation.survey.anonymous:
            return None
        return _MOMENT.to_representation(moment)


class ResponseSerializer(serializers.ModelSerializer):
    gap = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "invitation",
            "touchpoint",
            "submitted_at",
            "day",
            "expectation",
            "experience",
            "gap",
            "csat",
            "nps",
            "effort",
            "comment",
            "language",
            "sentiment",
            "theme",
        ]
        read_only_fields = fields
