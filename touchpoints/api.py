"""REST: the organisation and its facts (departments, staff, customers, touchpoints,
improvement actions), and the pieces every app's API shares.

Deny by default: a user without a role gets nothing, an integration token only what
api_tokens allows. Reading is scoped by each model's for_user (a head: their
department's rows; anything else is a 404, and lists never hold it). Writing is for CX
managers and admins unless a viewset says otherwise.
"""

from django.db.models import ProtectedError
from rest_framework import exceptions, permissions, serializers, status, viewsets

from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Customer, Department, ImprovementAction, Staff, Touchpoint
from touchpoints.roles import Role, can_edit_maps, is_member, role_of


class MembersReadCxWrite(permissions.BasePermission):
    """Reading: members (rows are scoped by for_user). Writing: CX managers and admins."""

    def has_permission(self, request, view):
        if not is_member(request.user):
            return False
        return request.method in permissions.SAFE_METHODS or can_edit_maps(request.user)


class MembersWriteOwnTouchpoints(permissions.BasePermission):
    """Members read and write; what they may write about is limited by the serializer to
    the touchpoints they may read (a head: their department's)."""

    def has_permission(self, request, view):
        return is_member(request.user)


class StaffAndMembersRead(permissions.BasePermission):
    """Reading: members and front-line staff (whose rows for_user limits to their own).
    Writing: CX managers and admins."""

    def has_permission(self, request, view):
        if not (is_member(request.user) or role_of(request.user) == Role.STAFF):
            return False
        return request.method in permissions.SAFE_METHODS or can_edit_maps(request.user)


class StaffAndMembersWriteOwn(permissions.BasePermission):
    """Members and front-line staff read and write the rows for_user gives them."""

    def has_permission(self, request, view):
        return is_member(request.user) or role_of(request.user) == Role.STAFF


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "in_use"


class Scoped:
    """Rows read through the model's for_user scope; writes by CX managers."""

    permission_classes = [IntegrationTokenLimits, MembersReadCxWrite]

    def get_queryset(self):
        return self.queryset.for_user(self.request.user)


class ReadOnlyScopedViewSet(Scoped, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedViewSet(Scoped, viewsets.ModelViewSet):
    """CRUD over one model, read through its for_user scope, written by CX managers."""

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as protected:
            kinds = sorted(
                {str(obj._meta.verbose_name_plural) for obj in protected.protected_objects}
            )
            raise InUse(
                f"This {instance._meta.verbose_name} is still used by {', '.join(kinds)}; "
                "remove those first."
            ) from protected


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "colour"]


class StaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = ["id", "name", "email", "department", "is_active"]


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "email",
            "name",
            "external_ref",
            "segment",
            "is_prospect",
            "language",
            "opted_out_at",
            "created_at",
        ]
        read_only_fields = ["opted_out_at", "created_at"]

    def validate_external_ref(self, value):
        value = (value or "").strip() or None  # blank is "none": it may not collide
        others = Customer.objects.exclude(pk=getattr(self.instance, "pk", None))
        if value is not None and others.filter(external_ref=value).exists():
            raise serializers.ValidationError("another customer has this reference")
        return value


class TouchpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "name",
            "description",
            "channel",
            "department",
            "audience",
            "supports",
            "target_wait_seconds",
            "target_response_seconds",
            "target_resolution_seconds",
            "target_first_contact_resolution",
            "effort_estimate",
            "surveyed",
            "survey",
            "survey_cap_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        if attrs.get("surveyed", getattr(self.instance, "surveyed", False)) and not attrs.get(
            "survey", getattr(self.instance, "survey", None)
        ):
            raise serializers.ValidationError({"survey": ["a surveyed touchpoint needs a survey"]})
        return attrs


class ImprovementActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "touchpoint",
            "title",
            "description",
            "status",
            "changed_on",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class DepartmentViewSet(ScopedViewSet):
    queryset = Department.objects.order_by("name")
    serializer_class = DepartmentSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "id"]


class StaffViewSet(ScopedViewSet):
    queryset = Staff.objects.order_by("name", "pk")
    serializer_class = StaffSerializer
    filterset_fields = ["department", "is_active"]
    search_fields = ["name", "email"]
    ordering_fields = ["name", "id"]


class CustomerViewSet(ScopedViewSet):
    """A head reads the customers who met their department's touchpoints."""

    queryset = Customer.objects.order_by("-created_at", "-pk")
    serializer_class = CustomerSerializer
    filterset_fields = ["segment", "is_prospect", "language", "external_ref", "email"]
    search_fields = ["email", "name"]
    ordering_fields = ["created_at", "email", "id"]


class TouchpointViewSet(ScopedViewSet):
    queryset = Touchpoint.objects.select_related("department").prefetch_related("supports")
    serializer_class = TouchpointSerializer
    filterset_fields = ["department", "channel", "audience", "surveyed"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id", "updated_at"]

    def get_queryset(self):
        return super().get_queryset().order_by("name", "pk")


class ImprovementActionViewSet(ScopedViewSet):
    queryset = ImprovementAction.objects.order_by("-changed_on", "-pk")
    serializer_class = ImprovementActionSerializer
    filterset_fields = ["touchpoint", "status"]
    search_fields = ["title", "description"]
    ordering_fields = ["changed_on", "id"]

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)
