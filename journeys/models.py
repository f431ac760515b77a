"""Journey maps: ordered stages, each placing existing touchpoints in order.

A journey does not own touchpoints; it places them (Step). Removing a step from a map
leaves the touchpoint and all its data untouched, and one touchpoint can be placed on
several journeys, its scores following it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from touchpoints.models import Touchpoint
from touchpoints.roles import is_member


class JourneyKind(models.TextChoices):
    CUSTOMER = "customer", "Customer journey"
    EMPLOYEE = "employee", "Employee journey"


class JourneyState(models.TextChoices):
    CURRENT = "current", "Current state"
    FUTURE = "future", "Future state"


class JourneyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Maps are shared: every signed-in role may read every journey."""
        if not is_member(user):
            return self.none()
        return self


class Journey(models.Model):
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=10, choices=JourneyKind.choices, default=JourneyKind.CUSTOMER
    )
    state = models.CharField(
        max_length=10, choices=JourneyState.choices, default=JourneyState.CURRENT
    )
    persona = models.CharField(max_length=160, blank=True)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="future_versions",
        help_text="The map this future-state journey was copied from.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_journeys",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JourneyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(based_on__isnull=True) | ~Q(based_on=models.F("id")),
                name="journey_not_based_on_itself",
            ),
        ]

    def __str__(self):
        return self.name


class Stage(models.Model):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    customer_goal = models.TextField(blank=True, help_text="What the customer wants here.")

    class Meta:
        ordering = ["journey", "position"]
        constraints = [
            # Checked when the edit ends (journeys/editing.py), so a renumbering may pass
            # through duplicates on its way.
            models.UniqueConstraint(
                fields=["journey", "position"],
                name="stage_position_unique_per_journey",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.journey}: {self.name}"


class Step(models.Model):
    """A touchpoint placed on a stage, at a position within it."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="steps")
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["stage", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "position"],
                name="step_position_unique_per_stage",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["stage", "touchpoint"], name="step_touchpoint_once_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.stage}: {self.touchpoint}"
