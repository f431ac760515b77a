"""Counted figures as the API shows them, and the period the API is asked for."""

from rest_framework import serializers

from surveys.counting.periods import PeriodError, period_asked
from surveys.models import AnswerSource


class PeriodQuery(serializers.Serializer):
    """since and until, whole local days; validated into `period` (a Period)."""

    since = serializers.DateField(
        required=False,
        help_text="First day of the period, inclusive, a local day under the server's "
        "TIME_ZONE (answers count on the day they were given there). Default: 89 days "
        "before `until`.",
    )
    until = serializers.DateField(
        required=False,
        help_text="Last day of the period, inclusive, a local day under TIME_ZONE. "
        "Default: today. At most three years after `since`.",
    )

    def validate(self, attrs):
        try:
            attrs["period"] = period_asked(attrs.get("since"), attrs.get("until"))
        except PeriodError as refused:
            raise serializers.ValidationError({"since": [str(refused)]}) from refused
        return attrs


class StandardsQuery(PeriodQuery):
    touchpoint = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        help_text="Only these touchpoints (ids; repeat the parameter for several).",
    )


class QuestionResultsQuery(StandardsQuery):
    source = serializers.ChoiceField(
        choices=AnswerSource.choices,
        required=False,
        help_text="Only answers from this source (email invitation, public link, QR code, ...).",
    )


class ComplianceSerializer(serializers.Serializer):
    touchpoint = serializers.IntegerField()
    interactions = serializers.IntegerField()
    measured = serializers.IntegerField(help_text="Interactions measured against a timed target.")
    met = serializers.IntegerField(help_text="Of those, the ones that met every target.")
    percent = serializers.FloatField(allow_null=True)
    breaches = serializers.IntegerField()
    fcr_measured = serializers.IntegerField()
    fcr_met = serializers.IntegerField()
    fcr_percent = serializers.FloatField(allow_null=True)


class ShareSerializer(serializers.Serializer):
    answer = serializers.CharField(source="label", help_text="The option, or yes")
    chosen = serializers.IntegerField(source="count")
    n = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="Null below the minimum sample")
    low = serializers.FloatField(allow_null=True, help_text="Wilson 95% interval")
    high = serializers.FloatField(allow_null=True)

    def to_representation(self, share):
        data = super().to_representation(share)
        interval = share.interval
        data["low"], data["high"] = interval if interval else (None, None)
        return data


class QuestionResultSerializer(serializers.Serializer):
    touchpoint = serializers.IntegerField()
    question = serializers.CharField(help_text="The question's key in its survey")
    survey = serializers.IntegerField()
    version = serializers.IntegerField()
    kind = serializers.CharField()
    wording = serializers.CharField(help_text="In English")
    n = serializers.IntegerField(help_text="Answers")
    mean = serializers.FloatField(allow_null=True, help_text="A rating's; null below the sample")
    mean_margin = serializers.FloatField(allow_null=True, help_text="95% half-width")
    shares = ShareSerializer(many=True)

    def to_representation(self, row):
        result = row["result"]
        question, mean = result.question, result.mean
        return {
            "touchpoint": row["touchpoint"],
            "question": question.key,
            "survey": question.survey_id,
            "version": question.version,
            "kind": question.kind,
            "wording": result.label,
            "n": result.n,
            "mean": mean.mean if mean else None,
            "mean_margin": mean.margin if mean else None,
            "shares": ShareSerializer(result.shares, many=True).data,
        }
