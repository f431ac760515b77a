"""REST: service standards met per touchpoint, counted from the interactions' facts."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from surveys.counting.selectors import compliance_by_touchpoint
from surveys.counting.serializers import ComplianceSerializer, StandardsQuery
from touchpoints.api import MembersWriteOwnTouchpoints
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Touchpoint


class StandardsViewSet(viewsets.ViewSet):
    """Service standards met per touchpoint over a period (default: the last 90 days),
    counted from the interactions' facts."""

    permission_classes = [IntegrationTokenLimits, MembersWriteOwnTouchpoints]

    @extend_schema(parameters=[StandardsQuery], responses=ComplianceSerializer(many=True))
    def list(self, request):
        query = StandardsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period, wanted = query.validated_data["period"], query.validated_data.get("touchpoint")
        readable = Touchpoint.objects.for_user(request.user)
        if wanted:
            readable = readable.filter(pk__in=wanted)
        ids = readable.values_list("pk", flat=True)
        counts = compliance_by_touchpoint(ids, period.since, period.until)
        rows = [
            {"touchpoint": pk, **vars(c), "percent": c.percent, "breaches": c.breaches,
             "fcr_percent": c.fcr_percent}
            for pk, c in sorted(counts.items())
        ]  # fmt: skip
        return Response(ComplianceSerializer(rows, many=True).data)
