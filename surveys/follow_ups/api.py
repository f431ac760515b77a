"""REST: follow-ups, read and worked through the same services as the pages."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from surveys.counting.loops import loop_figures
from surveys.counting.recovery import recovery
from surveys.counting.serializers import PeriodQuery
from surveys.follow_ups import services
from surveys.models import FollowUp, FollowUpEvent
from touchpoints.api import MembersReadCxWrite, ReadOnlyScopedViewSet, StaffAndMembersWriteOwn
from touchpoints.api_tokens import IntegrationTokenLimits
from touchpoints.models import Staff, Touchpoint
from touchpoints.roles import Role, role_of


class FollowUpEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = FollowUpEvent
        fields = ["action", "at", "by", "channel", "outcome", "assigned_to", "note"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    touchpoint = serializers.IntegerField(source="response.touchpoint_id", read_only=True)
    overdue = serializers.SerializerMethodField()
    events = FollowUpEventSerializer(many=True, read_only=True)
    # Looked up among the touchpoint's department's active staff only, so an id outside
    # it gets the same answer whether or not it exists.
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True, required=False)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "response",
            "touchpoint",
            "reason",
            "assigned_to",
            "status",
            "notes",
            "created_at",
            "due_at",
            "first_contact_at",
            "overdue",
            "closed_at",
            "events",
        ]
        read_only_fields = [
            "response",
            "touchpoint",
            "reason",
            "created_at",
            "due_at",
            "first_contact_at",
            "closed_at",
        ]

    def get_overdue(self, follow_up) -> bool:
        return follow_up.is_overdue()

    def _assignee(self, follow_up, staff_id):
        if staff_id is None:
            return None
        staff = Staff.objects.filter(
            pk=staff_id, department_id=follow_up.response.touchpoint.department_id, is_active=True
        ).first()
        if staff is None:
            raise services.Refused(services.ASSIGN_WITHIN)
        return staff

    def update(self, instance, validated_data):
        user = self.context["request"].user
        with transaction.atomic():
            if "notes" in validated_data:
                FollowUp.objects.filter(pk=instance.pk).update(notes=validated_data["notes"])
                instance.notes = validated_data["notes"]
            if "assigned_to_id" in validated_data:
                wanted = validated_data["assigned_to_id"]
                if wanted != instance.assigned_to_id:
                    instance = self._refused_as("assigned_to", self._reassign, instance, wanted)
            if "status" in validated_data:
                wanted = validated_data["status"]
                instance = self._refused_as("status", services.set_status, instance, wanted, user)
        return instance

    def _reassign(self, follow_up, staff_id):
        user = self.context["request"].user
        if role_of(user) == Role.STAFF:
            raise services.Refused("Only the department's heads and CX managers reassign.")
        return services.assign(follow_up, self._assignee(follow_up, staff_id), user)

    @staticmethod
    def _refused_as(field, change, *args):
        try:
            return change(*args)
        except services.Refused as refused:
            raise serializers.ValidationError({field: [str(refused)]}) from refused


class FollowUpViewSet(mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    queryset = (
        FollowUp.objects.select_related("response__touchpoint")
        .prefetch_related("events__by")
        .order_by("created_at", "pk")
    )
    serializer_class = FollowUpSerializer
    # Members work the follow-ups they can read (a head: their department's), staff
    # their own.
    permission_classes = [IntegrationTokenLimits, StaffAndMembersWriteOwn]
    http_method_names = ["get", "patch", "put", "head", "options"]
    filterset_fields = ["status", "reason", "assigned_to", "response__touchpoint"]
    ordering_fields = ["created_at", "due_at", "id"]


# --- Loop figures --------------------------------------------------------------------------


class LoopQuery(PeriodQuery):
    level = serializers.ChoiceField(
        choices=["touchpoint", "staff", "department"], default="touchpoint"
    )


class LoopRow(serializers.Serializer):
    """How the follow-ups the period's answers opened were worked (docs/statistics.md)."""

    level = serializers.CharField()
    id = serializers.IntegerField(allow_null=True, help_text="Null: assigned to nobody")
    name = serializers.CharField()
    opened = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Not resolved")
    overdue = serializers.IntegerField(help_text="Not contacted by the due time, nor resolved")
    resolved = serializers.IntegerField()
    decided = serializers.IntegerField(
        help_text="n of the in-time share: contacted, escalated as overdue, or resolved"
    )
    contacted_in_time = serializers.IntegerField()
    in_time_percent = serializers.FloatField(
        allow_null=True, help_text="Null below the minimum sample"
    )
    in_time_low = serializers.FloatField(allow_null=True, help_text="Wilson 95% interval")
    in_time_high = serializers.FloatField(allow_null=True)
    median_hours_to_first_contact = serializers.FloatField(allow_null=True)
    median_hours_to_resolution = serializers.FloatField(allow_null=True)


class RecoveryGroupSerializer(serializers.Serializer):
    follow_ups = serializers.IntegerField(help_text="Whose window has passed")
    came_back = serializers.IntegerField(help_text="Met a touchpoint again within the window")
    came_back_percent = serializers.FloatField(
        allow_null=True, help_text="Null below the minimum sample"
    )
    came_back_low = serializers.FloatField(allow_null=True, help_text="Wilson 95% interval")
    came_back_high = serializers.FloatField(allow_null=True)
    answered_again = serializers.IntegerField(help_text="n of the gap change")
    gap_change = serializers.FloatField(
        allow_null=True,
        help_text="Next answer's gap minus the opening answer's (negative: better); "
        "null below the minimum sample",
    )
    gap_change_margin = serializers.FloatField(allow_null=True, help_text="95% half-width")

    def to_representation(self, group):
        interval, change = group.came_back_interval, group.change_shown
        return super().to_representation(
            {
                "follow_ups": group.follow_ups,
                "came_back": group.came_back,
                "came_back_percent": group.came_back_percent,
                "came_back_low": interval[0] if interval else None,
                "came_back_high": interval[1] if interval else None,
                "answered_again": group.change.n,
                "gap_change": change.mean if change else None,
                "gap_change_margin": change.margin if change else None,
            }
        )


class RecoverySerializer(serializers.Serializer):
    """Does closing the loop keep customers? In time against late or never
    (docs/statistics.md, "Recovery")."""

    window_days = serializers.IntegerField()
    waiting = serializers.IntegerField(help_text="Follow-ups whose window has not passed")
    in_time = RecoveryGroupSerializer()
    late = RecoveryGroupSerializer(help_text="Contacted after the due time, or never")
    came_back_difference = serializers.FloatField(
        allow_null=True, help_text="In time minus late, percentage points"
    )
    came_back_difference_low = serializers.FloatField(
        allow_null=True, help_text="Newcombe 95% interval"
    )
    came_back_difference_high = serializers.FloatField(allow_null=True)
    came_back_p_value = serializers.FloatField(allow_null=True, help_text="Fisher's exact test")
    gap_change_difference = serializers.FloatField(allow_null=True, help_text="In time minus late")
    gap_change_difference_margin = serializers.FloatField(allow_null=True)
    gap_change_p_value = serializers.FloatField(allow_null=True, help_text="Welch's t-test")

    def to_representation(self, figures):
        shares, changes = figures.came_back_difference, figures.change_difference
        return super().to_representation(
            {
                "window_days": figures.window_days,
                "waiting": figures.waiting,
                "in_time": figures.in_time,
                "late": figures.late,
                "came_back_difference": shares.difference if shares else None,
                "came_back_difference_low": shares.low if shares else None,
                "came_back_difference_high": shares.high if shares else None,
                "came_back_p_value": shares.p_value if shares else None,
                "gap_change_difference": changes.difference if changes else None,
                "gap_change_difference_margin": changes.margin if changes else None,
                "gap_change_p_value": changes.p_value if changes else None,
            }
        )


class LoopFiguresViewSet(viewsets.ViewSet):
    """Closing the loop per touchpoint, staff member or department, from the loop rollups:
    follow-ups opened, first contact in time (%, with its interval), median hours to first
    contact and to resolution, open and overdue counts. Over the touchpoints one may read."""

    permission_classes = [IntegrationTokenLimits, MembersReadCxWrite]

    @extend_schema(parameters=[LoopQuery], responses=LoopRow(many=True))
    def list(self, request):
        query = LoopQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        level, period = query.validated_data["level"], query.validated_data["period"]
        touchpoints = list(Touchpoint.objects.for_user(request.user).select_related("department"))
        ids = [tp.pk for tp in touchpoints]
        if level == "touchpoint":
            figures = loop_figures(ids, period)
            rows = [(tp.pk, tp.name, figures[tp.pk]) for tp in touchpoints if tp.pk in figures]
        elif level == "staff":
            figures = loop_figures(ids, period, by="staff")
            names = dict(Staff.objects.filter(pk__in=figures).values_list("pk", "name"))
            rows = [
                (pk or None, names.get(pk, "Assigned to nobody"), f) for pk, f in figures.items()
            ]
        else:
            figures = loop_figures(ids, period, by={tp.pk: tp.department for tp in touchpoints})
            ordered = sorted(figures, key=lambda department: department.name)
            rows = [(department.pk, department.name, figures[department]) for department in ordered]
        data = [
            {"level": level, "id": pk, "name": name, **loop.as_dict()} for pk, name, loop in rows
        ]
        return Response(LoopRow(data, many=True).data)

    @extend_schema(responses=RecoverySerializer)
    @action(detail=False)
    def recovery(self, request):
        """Of the follow-ups one may read whose window has passed: the share of customers
        back within RECOVERY_WINDOW_DAYS and their next answer's gap change, contacted in
        time against late or never, with intervals and tests."""
        return Response(RecoverySerializer(recovery(request.user)).data)
