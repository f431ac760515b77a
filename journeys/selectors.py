"""Reads of journey maps, shaped for the pages (one query per level, no N+1)."""

from django.db.models import Count, Prefetch

from journeys.models import Journey, Stage, Step


def journeys_for_list(user):
    return (
        Journey.objects.for_user(user)
        .select_related("owner", "based_on")
        .annotate(stage_count=Count("stages", distinct=True))
        .order_by("kind", "name")
    )


def journey_with_map(user, pk):
    """The journey with its stages in order and each stage's steps and touchpoints."""
    steps = Step.objects.select_related("touchpoint__department").order_by("position")
    stages = Stage.objects.order_by("position").prefetch_related(Prefetch("steps", queryset=steps))
    return (
        Journey.objects.for_user(user)
        .select_related("owner", "based_on")
        .prefetch_related(Prefetch("stages", queryset=stages))
        .get(pk=pk)
    )
