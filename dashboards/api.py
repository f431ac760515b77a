"""REST: scores per touchpoint, stage, journey or department over a date range, from the
rollups (the same sums as the dashboards). A head's figures are computed over the
touchpoints they may read only."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from dashboards.selectors import Who, add_sums, sums_in
from journeys.models import Journey, Stage
from surveys.counting.scores import scores_from_sums
from surveys.counting.serializers import PeriodQuery
from surveys.models import AnswerSource
from touchpoints.api import MembersReadCxWrite
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Channel, Department, Touchpoint

LEVELS = ["touchpoint", "stage", "journey", "department"]


class ScoresQuery(PeriodQuery):
    level = serializers.ChoiceField(choices=LEVELS, default="touchpoint")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    segment = serializers.CharField(max_length=60, required=False)
    prospect = serializers.BooleanField(required=False, allow_null=True, default=None)
    source = serializers.ChoiceField(
        choices=AnswerSource.choices,
        required=False,
        help_text="Only answers from this source; invitations (the response rate) are email's.",
    )
    journey = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="Only this journey's stages or touchpoints.",
    )


def _figure(help_text: str):
    return serializers.FloatField(allow_null=True, help_text=help_text)


def _count(help_text: str):
    return serializers.IntegerField(help_text=help_text)


class ScoreRow(serializers.Serializer):
    """One thing's scores over the period: every figure with its own n and its 95%
    interval (docs/statistics.md gives each formula). A figure is null without answers;
    `enough_*` says whether its n reaches the minimum sample the pages show it from."""

    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    touchpoints = _count("Touchpoints summed")
    enough_data = serializers.BooleanField(help_text="Enough answers for the gap")
    enough_gap = serializers.BooleanField()
    enough_csat = serializers.BooleanField()
    enough_nps = serializers.BooleanField()
    enough_ces = serializers.BooleanField()
    responses = _count("Answers in the period")
    gap_answered = _count("n of the gap: answers with both expectation and experience")
    gap = _figure("Mean of expectation - experience, on 1-7: positive is frustration")
    gap_margin = _figure("Half-width of the gap's 95% interval (Student's t, n - 1 df)")
    gap_all_equal = serializers.BooleanField(help_text="Every gap answer the same: no spread")
    detectable_change = _figure(
        "Smallest change of the gap a next period of the same n and spread could tell apart "
        "(two-sided 5%, 80% power)"
    )
    mean_expectation = _figure("Mean expectation, 1-7")
    mean_experience = _figure("Mean experience, 1-7")
    csat_answered = _count("n of CSAT")
    csat_percent = _figure("Share of CSAT answers 4 or 5 (of 1-5), %")
    csat_low = _figure("CSAT's 95% interval, low end (Wilson), %")
    csat_high = _figure("CSAT's 95% interval, high end (Wilson), %")
    nps_answered = _count("n of NPS")
    nps = _figure("% promoters (9-10) - % detractors (0-6)")
    nps_low = _figure("NPS's 95% interval, low end (adjusted Wald), -100 to 100")
    nps_high = _figure("NPS's 95% interval, high end (adjusted Wald), -100 to 100")
    effort_answered = _count("n of CES")
    ces = _figure("Mean effort, 1-7: lower is easier")
    ces_margin = _figure("Half-width of the CES's 95% interval (Student's t)")
    invitations_sent = _count("Invitations sent in the period")
    invitations_answered = _count("Of those, answered by now")
    invitations_open = _count("Of those, neither answered nor expired yet")
    response_rate = _figure(
        "invitations_answered / invitations_sent, %: of the invitations sent in the period, "
        "the share answered by now (never above 100)"
    )
    comments = _count("Answers with a comment")
    sentiment = _figure("Mean sentiment of the scored comments, -1 to 1")


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


JUDGEMENTS = ("enough_gap", "enough_csat", "enough_nps", "enough_ces", "gap_all_equal",
              "detectable_change")  # fmt: skip


def _judged(scores) -> dict:
    """What Scores work out beyond their fields: each measure's "enough data", whether
    the gap's answers are all equal, the change the gap's answers could see."""
    return {name: getattr(scores, name) for name in JUDGEMENTS}


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
        who = Who(data.get("segment") or None, data.get("prospect"), data.get("source"))
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
                    "enough_data": scores.enough_gap,
                    **asdict(scores),
                    **_judged(scores),
                }
            )
        return Response(ScoreRow(rows, many=True).data)
