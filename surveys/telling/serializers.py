"""Standard alerts as the API shows them."""

from rest_framework import serializers

from surveys.models import StandardAlert


class StandardAlertSerializer(serializers.ModelSerializer):
    percent = serializers.FloatField()

    class Meta:
        model = StandardAlert
        fields = [
            "id",
            "touchpoint",
            "window_start",
            "window_end",
            "measured",
            "met",
            "percent",
            "created_at",
            "notified_at",
        ]
        read_only_fields = fields
