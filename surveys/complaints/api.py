"""REST: complaints in (one or up to 1,000 at once, idempotent by external_id) and out."""

from surveys.asking.api import BatchCreate, batch_schema
from surveys.complaints.serializers import ComplaintInSerializer, ComplaintSerializer
from surveys.models import Complaint
from touchpoints.api import MembersWriteOwnTouchpoints
from touchpoints.api_tokens import IntegrationTokenLimits


@batch_schema(
    ComplaintInSerializer,
    ComplaintSerializer,
    "One complaint or a list of up to 1,000, about touchpoints the caller may read. "
    "Re-posting an external_id is a retry (200) or, with other content, refused (409).",
)
class ComplaintViewSet(BatchCreate):
    serializer_class = ComplaintSerializer
    in_serializer = ComplaintInSerializer
    recorded_attribute = "complaint"
    permission_classes = [IntegrationTokenLimits, MembersWriteOwnTouchpoints]
    filterset_fields = ["touchpoint", "status", "source", "external_id"]

    def get_queryset(self):
        return (
            Complaint.objects.for_user(self.request.user)
            .select_related("customer")
            .order_by("-received_at", "-pk")
        )
