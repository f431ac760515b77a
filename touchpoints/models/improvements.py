"""Improvement actions: what was changed on a touchpoint, and when (plan-do-check-act)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from touchpoints.models.organisation import Touchpoint
from touchpoints.models.scoping import ScopedQuerySet


class ImprovementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ImprovementActionQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class ImprovementAction(models.Model):
    """A change made to a touchpoint, dated so its effect on the gap can be checked."""

    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ImprovementStatus.choices, default=ImprovementStatus.PLANNED
    )
    changed_on = models.DateField(
        null=True, blank=True, help_text="The day the change took effect."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ImprovementStatus.DONE) | Q(changed_on__isnull=False),
                name="improvement_done_has_changed_on",
            ),
        ]

    def __str__(self):
        return self.title
