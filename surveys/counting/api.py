"""REST: service standards met per touchpoint, counted from the interactions' facts, and the
results of the surveys' own questions."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from surveys.counting.own_questions import question_results
from surveys.counting.selectors import compliance_by_touchpoint
from surveys.counting.serializers import (
    ComplianceSerializer,
    QuestionResultSerializer,
    QuestionResultsQuery,
    StandardsQuery,
)
from touchpoints.api import MembersWriteOwnTouchpoints
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Touchpoint


class StandardsViewSet(viewsets.ViewSet):
    """Service standards met per touchpoint over a period (default: the last 90 days),
    counted from the interactions' facts."""

    permission_classes = [IntegrationTokenLimits, MembersWriteOwnTouchpoints]

    @extend_schema(parameters=[StandardsQuery], responses=ComplianceSerializer(many=True))
    def list(self, request):
        period, readable, _rest = _asked(request)
        ids = readable.values_list("pk", flat=True)
        counts = compliance_by_touchpoint(ids, period.since, period.until)
        rows = [
            {"touchpoint": pk, **vars(c), "percent": c.percent, "breaches": c.breaches,
             "fcr_percent": c.fcr_percent}
            for pk, c in sorted(counts.items())
        ]  # fmt: skip
        return Response(ComplianceSerializer(rows, many=True).data)


class QuestionResultsViewSet(viewsets.ViewSet):
    """The answers to the surveys' own questions per touchpoint over a period (default: the
    last 90 days), from one source of answers or all, from the daily answer rollups: each
    option's share (or yes's) with its Wilson 95% interval, a rating's mean with its t
    interval; null below the minimum sample. Each version of a question is a row of its
    own."""

    permission_classes = [IntegrationTokenLimits, MembersWriteOwnTouchpoints]

    @extend_schema(parameters=[QuestionResultsQuery], responses=QuestionResultSerializer(many=True))
    def list(self, request):
        period, readable, asked = _asked(request, QuestionResultsQuery)
        results = question_results(
            readable.values_list("pk", flat=True), period, asked.get("source")
        )
        rows = [
            {"touchpoint": touchpoint, "result": result}
            for touchpoint, found in sorted(results.items())
            for result in found
        ]
        return Response(QuestionResultSerializer(rows, many=True).data)


def _asked(request, query_class=StandardsQuery):
    """The period and the touchpoints a query asks for, of those the caller may read, and
    the query's other parameters."""
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    asked = dict(query.validated_data)
    period, wanted = asked.pop("period"), asked.pop("touchpoint", None)
    readable = Touchpoint.objects.for_user(request.user)
    if wanted:
        readable = readable.filter(pk__in=wanted)
    return period, readable, asked
