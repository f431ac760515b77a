"""The action lists by API: read a list (paged, each row with why), and record that
someone acted on a row."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from surveys.models import Outreach
from surveys.outreach.lists import AT_RISK, TITLES, NotOnList, mark_done, rows_of
from touchpoints.api import StaffAndMembersWriteOwn
from touchpoints.api_tokens import IntegrationTokenLimits


class OutreachQuery(serializers.Serializer):
    list = serializers.ChoiceField(choices=list(TITLES), default=AT_RISK)


class OutreachRow(serializers.Serializer):
    customer = serializers.IntegerField(source="customer.pk")
    name = serializers.CharField(source="customer.name")
    email = serializers.EmailField(source="customer.email")
    reference = serializers.CharField(source="customer.external_ref", allow_null=True)
    segment = serializers.CharField(source="customer.segment")
    language = serializers.CharField(source="customer.language")
    reason = serializers.CharField(help_text="Why the customer is on the list")
    at = serializers.DateTimeField(help_text="When that happened")
    more = serializers.IntegerField(help_text="Further reasons in the window")


class OutreachDone(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    list = serializers.ChoiceField(choices=list(TITLES), write_only=True)
    customer = serializers.IntegerField(source="customer_id")
    kind = serializers.CharField(read_only=True)
    done_by = serializers.IntegerField(source="done_by_id", read_only=True)
    done_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class OutreachViewSet(viewsets.GenericViewSet):
    """Promoters to ask for a referral (`?list=referral`) and customers at risk
    (`?list=at_risk`), scoped like the page; opt-outs are never listed."""

    permission_classes = [IntegrationTokenLimits, StaffAndMembersWriteOwn]
    queryset = Outreach.objects.none()  # rows come from the lists; this names the model

    @extend_schema(parameters=[OutreachQuery], responses=OutreachRow(many=True))
    def list(self, request):
        query = OutreachQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = rows_of(query.validated_data["list"], request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(OutreachRow(page, many=True).data)

    @extend_schema(request=OutreachDone, responses={201: OutreachDone})
    def create(self, request):
        done = OutreachDone(data=request.data)
        done.is_valid(raise_exception=True)
        data = done.validated_data
        try:
            outreach = mark_done(
                data["list"], request.user, data["customer_id"], data.get("note", "")
            )
        except NotOnList as refused:
            raise serializers.ValidationError({"customer": [str(refused)]}) from refused
        return Response(OutreachDone(outreach).data, status=status.HTTP_201_CREATED)
