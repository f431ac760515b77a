"""REST: standard alerts, read-only."""

from surveys.models import StandardAlert
from surveys.telling.serializers import StandardAlertSerializer
from touchpoints.api import ReadOnlyScopedViewSet


class StandardAlertViewSet(ReadOnlyScopedViewSet):
    """Standard alerts as events (newest first): one per touchpoint and window."""

    queryset = StandardAlert.objects.order_by("-created_at", "-pk")
    serializer_class = StandardAlertSerializer
    filterset_fields = ["touchpoint"]
