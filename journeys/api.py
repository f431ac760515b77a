"""REST: journeys with their stages and placed touchpoints nested on read; stages and
steps edited through the same functions as the board (journeys/editing.py), so positions
stay a gapless order under concurrent edits. Maps are shared: every role reads them; CX
managers edit them."""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from journeys import editing
from journeys.models import Journey, Stage, Step
from touchpoints.api import ScopedViewSet


class PlacedTouchpointSerializer(serializers.ModelSerializer):
    touchpoint_name = serializers.CharField(source="touchpoint.name", read_only=True)
    channel = serializers.CharField(source="touchpoint.channel", read_only=True)
    department = serializers.IntegerField(source="touchpoint.department_id", read_only=True)

    class Meta:
        model = Step
        fields = ["id", "position", "touchpoint", "touchpoint_name", "channel", "department"]


class NestedStageSerializer(serializers.ModelSerializer):
    steps = PlacedTouchpointSerializer(many=True, read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "name", "position", "customer_goal", "steps"]


class JourneySerializer(serializers.ModelSerializer):
    stages = NestedStageSerializer(many=True, read_only=True)

    class Meta:
        model = Journey
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "state",
            "persona",
            "based_on",
            "owner",
            "created_at",
            "updated_at",
            "stages",
        ]
        read_only_fields = ["based_on", "owner", "created_at", "updated_at"]


class StageSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Where to move it (0 first); new stages go last."
    )

    class Meta:
        model = Stage
        fields = ["id", "journey", "name", "position", "customer_goal"]
        validators = []  # positions are kept in order by journeys/editing.py

    def validate_journey(self, journey):
        if self.instance is not None and journey != self.instance.journey:
            raise ValidationError("a stage cannot move to another journey")
        return journey


class StepSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Where to move it (0 first); new cards go last."
    )

    class Meta:
        model = Step
        fields = ["id", "stage", "touchpoint", "position"]
        validators = []  # one placement per stage and touchpoint: journeys/editing.py

    def validate_touchpoint(self, touchpoint):
        if self.instance is not None and touchpoint != self.instance.touchpoint:
            raise ValidationError("place the other touchpoint as a new step instead")
        return touchpoint


def _placement(call, *args):
    try:
        return call(*args)
    except editing.PlacementError as refused:
        raise ValidationError({"stage": [str(refused)]}) from refused


class JourneyViewSet(ScopedViewSet):
    queryset = Journey.objects.select_related("owner").prefetch_related("stages__steps__touchpoint")
    serializer_class = JourneySerializer
    filterset_fields = ["kind", "state"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "updated_at", "id"]

    def get_queryset(self):
        return super().get_queryset().order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class StageViewSet(ScopedViewSet):
    queryset = Stage.objects.all()
    serializer_class = StageSerializer
    filterset_fields = ["journey"]

    def get_queryset(self):
        readable = Journey.objects.for_user(self.request.user)
        return Stage.objects.filter(journey__in=readable).order_by("journey_id", "position")

    def perform_create(self, serializer):
        data = serializer.validated_data
        stage = editing.add_stage(data["journey"], data["name"], data.get("customer_goal", ""))
        if "position" in data:
            editing.move_stage(stage, data["position"])
        serializer.instance = Stage.objects.get(pk=stage.pk)

    def perform_update(self, serializer):
        stage, data = serializer.instance, serializer.validated_data
        if "name" in data or "customer_goal" in data:
            editing.rename_stage(
                stage, data.get("name", stage.name), data.get("customer_goal", stage.customer_goal)
            )
        if "position" in data:
            editing.move_stage(stage, data["position"])
        serializer.instance = Stage.objects.get(pk=stage.pk)

    def perform_destroy(self, stage):
        editing.delete_stage(stage)


class StepViewSet(ScopedViewSet):
    queryset = Step.objects.all()
    serializer_class = StepSerializer
    filterset_fields = ["stage", "touchpoint"]

    def get_queryset(self):
        readable = Journey.objects.for_user(self.request.user)
        return Step.objects.filter(stage__journey__in=readable).order_by("stage_id", "position")

    def perform_create(self, serializer):
        data = serializer.validated_data
        step = _placement(editing.place_touchpoint, data["stage"], data["touchpoint"].pk)
        if "position" in data:
            editing.move_step(step, data["stage"], data["position"])
        serializer.instance = Step.objects.get(pk=step.pk)

    def perform_update(self, serializer):
        step, data = serializer.instance, serializer.validated_data
        stage = data.get("stage", step.stage)
        position = data.get("position", step.position if stage == step.stage else 10**6)
        _placement(editing.move_step, step, stage, position)
        serializer.instance = Step.objects.get(pk=step.pk)

    def perform_destroy(self, step):
        editing.remove_step(step)
