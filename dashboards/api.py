"""REST: scores per touchpoint, stage, journey or department over a date range, from the
rollups (the same sums as the dashboards). A head's figures are computed over the
touchpoints they may read only."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from journeys.models import Journey, Stage
from touchpoints.api import MembersReadCxWrite
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Channel, Department, Touchpoint

from .periods import PeriodError, period_asked
from .selectors import EVERYONE, Who, add_sums, enough, scores_from_sums, sums_in

LEVELS = ["touchpoint", "stage", "journey", "department"]


class ScoresQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS, default="touchpoint")
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    segment = serializers.CharField(max_length=60, required=False)
    prospect = serializers.BooleanField(required=False, allow_null=True, default=None)
    journey = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="Only this journey's stages or touchpoints.",
    )

    def validate(self, attrs):
        try:
            attrs["period"] = period_asked(attrs.get("since"), attrs.get("until"))
        except PeriodError as refused:
            raise serializers.ValidationError({"since": [str(refused)]}) from refused
        return attrs


class ScoreRow(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    touchpoints = serializers.IntegerField(help_text="Touchpoints summed")
    enough_data = serializers.BooleanField()
    responses = serializers.IntegerField()
    gap_answered = serializers.IntegerField()
    gap = serializers.FloatField(allow_null=True)
    gap_margin = serializers.FloatField(allow_null=True, help_text="95% confidence half-width")
    mean_expectation = serializers.FloatField(allow_null=True)
    mean_experience = serializers.FloatField(allow_null=True)
    csat_percent = serializers.FloatField(allow_null=True)
    nps = serializers.FloatField(allow_null=True)
    ces = serializers.FloatField(allow_null=True)
    response_rate = serializers.FloatField(allow_null=True)
    comments = serializers.IntegerField()
    sentiment = serializers.FloatField(allow_null=True)


def _groups(level: str, touchpoints, journey_id) -> list[tuple[object, set[int]]]:
    """(thing, ids of its readable touchpoints) for each thing of the level."""
    readable = {tp.pk for tp in touchpoints}
    if level == "touchpoint":
        return [(tp, {tp.pk}) for tp in touchpoints]
    if level == "department":
        departments = {tp.department_id for tp in touchpoints}
        return [
            (d, {tp.pk for tp in touchpoints if tp.department_id == d.pk})
            for d in Department.objects.filter(pk__in=departments).order_by("name")
        ]
    stages = Stage.objects.prefetch_related("steps").select_related("journey")
    if journey_id:
        stages = stages.filter(journey_id=journey_id)
    placed = {s: {step.touchpoint_id for step in s.steps.all()} & readable for s in stages}
    if level == "stage":
        return [
            (s, ids)
            for s, ids in sorted(placed.items(), key=lambda i: (i[0].journey_id, i[0].position))
        ]
    by_journey: dict[int, set[int]] = {}
    for stage, ids in placed.items():
        by_journey.setdefault(stage.journey_id, set()).update(ids)
    journeys = Journey.objects.filter(pk__in=by_journey).order_by("name")
    return [(j, by_journey[j.pk]) for j in journeys]


class ScoresViewSet(viewsets.ViewSet):
    """Scores from the rollups: gap (expected - experienced) with its 95% confidence
    interval, CSAT %, NPS, CES, response rate, comment sentiment."""

    permission_classes = [IntegrationTokenLimits, MembersReadCxWrite]

    @extend_schema(parameters=[ScoresQuery], responses=ScoreRow(many=True))
    def list(self, request):
        query = ScoresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        touchpoints = Touchpoint.objects.for_user(request.user).order_by("name", "pk")
        if data.get("channel"):
            touchpoints = touchpoints.filter(channel=data["channel"])
        if data.get("journey") and data["level"] == "touchpoint":
            touchpoints = touchpoints.filter(steps__stage__journey_id=data["journey"]).distinct()
        touchpoints = list(touchpoints)
        who = (
            Who(data.get("segment"), data.get("prospect"))
            if data.get("segment") or data.get("prospect") is not None
            else EVERYONE
        )
        sums = sums_in([tp.pk for tp in touchpoints], data["period"], who)
        rows = []
        for thing, ids in _groups(data["level"], touchpoints, data.get("journey")):
            scores = scores_from_sums(add_sums([sums.get(pk, {}) for pk in ids]))
            rows.append(
                {
                    "level": data["level"],
                    "id": thing.pk,
                    "name": thing.name,
                    "touchpoints": len(ids),
                    "enough_data": enough(scores),
                    **asdict(scores),
                }
            )
        return Response(ScoreRow(rows, many=True).data)
