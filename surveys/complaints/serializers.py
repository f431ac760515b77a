"""The one validation of an incoming complaint, shared by the API and the CSV import, and
a complaint as the API shows it."""

from rest_framework import serializers

from lib.quick_serializers import QuickListSerializer
from surveys.asking.intake import CustomerDetails
from surveys.asking.serializers import (
    CustomerInSerializer,
    LookupField,
    ReadableCustomerMixin,
    plausible_moment,
)
from surveys.complaints.services import record_complaint
from surveys.models import Complaint, ComplaintSource
from touchpoints.identity import Reporter
from touchpoints.models import Staff, Touchpoint


class ComplaintInSerializer(serializers.Serializer):
    """A complaint from another system or a file. With a user in the context (the API),
    only the touchpoints that user may read are accepted."""

    external_id = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, default=None
    )
    touchpoint = LookupField("name", "touchpoint", queryset=Touchpoint.objects.all())
    source = serializers.ChoiceField(choices=ComplaintSource.choices)
    received_at = serializers.DateTimeField()
    text = serializers.CharField()
    customer = CustomerInSerializer(required=False, allow_null=True, default=None)
    owner = LookupField(
        "email", "staff member", queryset=Staff.objects.all(), required=False, allow_null=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is not None:
            # Only what the caller may read can be named: anything else is "unknown", so an
            # error never names a touchpoint or a person of another department.
            self.fields["touchpoint"].queryset = Touchpoint.objects.for_user(user)
            self.fields["owner"].queryset = Staff.objects.for_user(user)

    class Meta:
        list_serializer_class = QuickListSerializer

    def validate_received_at(self, value):
        return plausible_moment(value)

    def validate(self, data):
        owner, touchpoint = data.get("owner"), data["touchpoint"]
        if owner and owner.department_id != touchpoint.department_id:
            # Named by neither: an integration token may name staff it cannot read.
            raise serializers.ValidationError(
                {"owner": "is not in the department that owns the touchpoint"}
            )
        return data

    @staticmethod
    def record_all(validated: list[dict], reporter: Reporter | None = None) -> list:
        recorded = []
        for data in validated:
            data = dict(data)
            customer = data.pop("customer")
            details = CustomerDetails(**customer) if customer else None
            recorded.append(record_complaint(customer=details, reporter=reporter, **data))
        return recorded

    def save(self):
        return self.record_all([self.validated_data])[0]


class ComplaintSerializer(ReadableCustomerMixin, serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = QuickListSerializer
        model = Complaint
        fields = [
            "id",
            "external_id",
            "touchpoint",
            "customer",
            "source",
            "received_at",
            "text",
            "status",
            "owner",
            "resolution_notes",
            "resolved_at",
        ]
        read_only_fields = fields
