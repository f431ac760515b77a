"""REST: service standards met per touchpoint, counted from the interactions' facts."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from surveys.counting.selectors import compliance_by_touchpoint
from surveys.counting.serializers import ComplianceSerializer
from touchpoints.api import MembersWriteOwnTouchpoints
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Touchpoint


class StandardsViewSet(viewsets.ViewSet):
    """Service standards met per touchpoint over a date range (default: the last 90 days),
    counted from the interactions' facts."""

    permission_classes = [IntegrationTokenLimits, MembersWriteOwnTouchpoints]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
            OpenApiParameter("touchpoint", OpenApiTypes.INT, many=True),
        ],
        responses=ComplianceSerializer(many=True),
    )
    def list(self, request):
        until = _date_param(request, "until") or timezone.localdate()
        since = _date_param(request, "since") or until - dt.timedelta(days=89)
        if since > until:
            raise ValidationError({"since": ["must be on or before until"]})
        readable = Touchpoint.objects.for_user(request.user)
        wanted = request.query_params.getlist("touchpoint")
        if wanted:
            if not all(value.isdigit() for value in wanted):
                raise ValidationError({"touchpoint": ["give touchpoint ids"]})
            readable = readable.filter(pk__in=wanted)
        counts = compliance_by_touchpoint(readable.values_list("pk", flat=True), since, until)
        rows = [
            {"touchpoint": pk, **vars(c), "percent": c.percent, "breaches": c.breaches,
             "fcr_percent": c.fcr_percent}
            for pk, c in sorted(counts.items())
        ]  # fmt: skip
        return Response(ComplianceSerializer(rows, many=True).data)


def _date_param(request, name):
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as bad:
        raise ValidationError({name: ["use YYYY-MM-DD"]}) from bad
