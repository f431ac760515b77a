"""REST: interactions and complaints in (one or up to 1,000 at once, idempotent by
external_id) and out."""

from django.db import transaction
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from surveys.asking.serializers import (
    InteractionInSerializer,
    InteractionSerializer,
    InvitationSerializer,
    ResponseSerializer,
    SurveySerializer,
)
from surveys.models import Invitation, InvitationStatus, Survey
from surveys.models import Response as Answer
from touchpoints.api import (
    MembersReadCxWrite,
    ReadOnlyScopedViewSet,
    ScopedViewSet,
    StaffAndMembersRead,
)
from touchpoints.api_tokens import IntegrationTokenLimits, is_integration
from touchpoints.identity import Reporter, readable_customer_ids
from touchpoints.models import Interaction
from touchpoints.roles import can_edit_maps

MAX_BATCH = 1000


class ReadableCustomers:
    """A viewset whose records embed their customer: shown only to a caller who may read
    that customer (touchpoints/identity.py)."""

    def get_serializer(self, *args, **kwargs):
        records = args[0] if args else kwargs.get("instance")
        if records is not None:
            rows = records if isinstance(records, list | tuple | QuerySet) else [records]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["readable_customers"] = readable_customer_ids(
                self.request.user, [row.customer_id for row in rows]
            )
        return super().get_serializer(*args, **kwargs)


class BatchCreate(
    ReadableCustomers, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reading plus one create that takes one object or a list of up to MAX_BATCH: all are
    validated first (a 400 names each bad item's index and field, and nothing is written),
    then recorded in one transaction. A known external_id is a retry: "already recorded",
    with the stored record only for a caller who may read it; sent with other content it
    is a conflict (409), and nothing of the batch is written. A reply never holds what the
    caller could not read: an integration token, which reads nothing, gets ids."""

    in_serializer: type
    recorded_attribute: str  # where the recorded result keeps its record

    def create(self, request):
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        if many and not 1 <= len(items) <= MAX_BATCH:
            raise ValidationError({"non_field_errors": [f"send 1 to {MAX_BATCH} items"]})
        not_objects = [
            {"index": index, "non_field_errors": ["each item must be a JSON object"]}
            for index, item in enumerate(items)
            if not isinstance(item, dict)
        ]
        if not_objects:
            return _by_item(not_objects, many, status.HTTP_400_BAD_REQUEST)
        # One serializer validates every item: per-item serializers would each copy their
        # fields, and lookups (a touchpoint named by every item) are shared in the context.
        batch = self.in_serializer(data=items, many=True, context={"user": request.user})
        if not batch.is_valid():
            # By item index (a dict in newer DRF, a list with empty entries in older).
            found = batch.errors
            pairs = found.items() if isinstance(found, dict) else enumerate(found)
            if isinstance(found, dict) and "non_field_errors" in found:
                return Response(found, status=status.HTTP_400_BAD_REQUEST)
            errors = [{"index": index, **e} for index, e in sorted(pairs) if e]
            return _by_item(errors, many, status.HTTP_400_BAD_REQUEST)
        with transaction.atomic():
            recorded = self.in_serializer.record_all(batch.validated_data, reporter_of(request))
            conflicts = [
                {"index": index, "external_id": [CONFLICT]}
                for index, result in enumerate(recorded)
                if result.conflict
            ]
            if conflicts:
                transaction.set_rollback(True)
        if conflicts:
            return _by_item(conflicts, many, status.HTTP_409_CONFLICT)
        records = [getattr(result, self.recorded_attribute) for result in recorded]
        created = any(result.created for result in recorded)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        readable = self._readable({record.pk for record in records})
        headers = {}
        if wants_minimal(request):
            headers, readable = {"Preference-Applied": "return=minimal"}, set()
        full = self.get_serializer([r for r in records if r.pk in readable], many=True).data
        shown = {row["id"]: row for row in full}
        output = [
            shown.get(record.pk) or _brief(record, result)
            for record, result in zip(records, recorded, strict=True)
        ]
        return Response(output if many else output[0], status=code, headers=headers)

    def _readable(self, pks: set[int]) -> set[int]:
        """Of these records, the ones the caller could GET."""
        if is_integration(self.request.auth):
            return set()
        return set(self.get_queryset().filter(pk__in=pks).values_list("pk", flat=True))


CONFLICT = (
    "already recorded with other content; a retry must send the same, a new record a new "
    "external_id"
)


def _by_item(errors: list[dict], many: bool, code: int) -> Response:
    """A batch's errors by item index; one object's as one object, like any single write."""
    if not many:
        del errors[0]["index"]
    return Response(errors if many else errors[0], status=code)


def _brief(record, result) -> dict:
    return {"id": record.pk, "external_id": record.external_id, "created": result.created}


def reporter_of(request) -> Reporter | None:
    """None for a caller trusted with customers' identities (a CX manager or an admin);
    else who reports them (see touchpoints/identity.py)."""
    if is_integration(request.auth):
        return Reporter(request.user, f"API token “{request.auth.name}”")
    if can_edit_maps(request.user):
        return None
    return Reporter(request.user, f"{request.user.get_username()} through the API")


def wants_minimal(request) -> bool:
    """RFC 7240's "Prefer: return=minimal": the caller wants each record's id, not all of it
    (an integration posting thousands an hour keeps only the ids)."""
    preferences = request.headers.get("Prefer", "").split(",")
    return any(p.split(";")[0].strip().lower() == "return=minimal" for p in preferences)


class RecordedBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    created = serializers.BooleanField(help_text="False when the external_id was known.")


def batch_schema(in_serializer, out_serializer, description):
    """The OpenAPI description of a BatchCreate's create: one object or a list in; the
    records out, or with "Prefer: return=minimal" their ids."""
    records = PolymorphicProxySerializer(
        component_name=f"{out_serializer.__name__.removesuffix('Serializer')}Recorded",
        serializers=[out_serializer(many=True), RecordedBriefSerializer(many=True)],
        resource_type_field_name=None,
        many=False,
    )
    return extend_schema_view(
        create=extend_schema(
            request=in_serializer(many=True),
            parameters=[
                OpenApiParameter(
                    "Prefer",
                    location=OpenApiParameter.HEADER,
                    enum=["return=minimal", "return=representation"],
                    description="return=minimal: each record's id, external_id and created.",
                )
            ],
            responses={
                201: records,
                200: OpenApiResponse(
                    records,
                    description="Already recorded: the stored record, or its id only for a "
                    "caller who may not read it",
                ),
                409: OpenApiResponse(description="An external_id recorded with other content"),
            },
            description=description,
        )
    )


@batch_schema(
    InteractionInSerializer,
    InteractionSerializer,
    "One interaction object or a list of up to 1,000. Re-posting an external_id with the same "
    "content is a retry (200, nothing created); with other content it is refused (409).",
)
class InteractionViewSet(BatchCreate):
    serializer_class = InteractionSerializer
    in_serializer = InteractionInSerializer
    recorded_attribute = "interaction"
    permission_classes = [IntegrationTokenLimits, MembersReadCxWrite]
    filterset_fields = ["touchpoint", "outcome", "external_id"]

    def get_queryset(self):
        return (
            Interaction.objects.for_user(self.request.user)
            .select_related("customer", "invitation")
            .order_by("-occurred_at", "-pk")
        )


class SurveyViewSet(ScopedViewSet):
    """Survey designs are shared: every role reads them; CX managers edit them."""

    queryset = Survey.objects.order_by("name")
    serializer_class = SurveySerializer
    filterset_fields = ["audience", "is_active"]
    search_fields = ["name"]

    def get_queryset(self):
        return self.queryset


class InvitationFilter(filters.FilterSet):
    # By the status staff may see: an anonymous survey's answered invitations read "sent".
    status = filters.ChoiceFilter(field_name="public_status", choices=InvitationStatus.choices)

    class Meta:
        model = Invitation
        fields = ["status", "survey", "interaction", "interaction__touchpoint"]


class InvitationViewSet(ReadOnlyScopedViewSet):
    queryset = Invitation.objects.select_related("interaction", "survey").order_by("-due_at", "-pk")
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    # Not by answered_at: of an anonymous survey's invitation it is not shown.
    ordering_fields = ["due_at", "sent_at", "id"]

    def get_queryset(self):
        return super().get_queryset().with_public_status()


class ResponseViewSet(ReadOnlyScopedViewSet):
    # Front-line staff read the answers to their own interactions (see for_user).
    permission_classes = [IntegrationTokenLimits, StaffAndMembersRead]
    queryset = Answer.objects.order_by("-submitted_at", "-pk")
    serializer_class = ResponseSerializer
    filterset_fields = {
        "touchpoint": ["exact"],
        "day": ["exact", "gte", "lte"],
        "nps": ["exact", "lte", "gte"],
        "theme": ["exact"],
    }
    search_fields = ["comment"]
    ordering_fields = ["submitted_at", "id"]
