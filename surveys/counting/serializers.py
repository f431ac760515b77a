"""Counted figures as the API shows them."""

from rest_framework import serializers


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
