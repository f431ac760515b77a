"""Facts that change a day's service-standard counts mark that day dirty, whichever door
they came through (intake, admin, a script): the same outbox the answers use. An answer
also marks the day of the interaction it answers, where the standard effects are kept.

These marks do not wake a worker: the services that record answers wake one themselves,
and anything else is drained by the beat within a minute. A wake-up per saved row would
be noise."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from surveys.counting.aggregation import rollups_mark_dirty
from surveys.counting.figure_cache import figures_changed
from surveys.models import Complaint, FollowUp, Invitation, Response
from touchpoints.models import Customer, Interaction, Touchpoint

TARGETS = (
    "target_wait_seconds",
    "target_response_seconds",
    "target_resolution_seconds",
    "target_first_contact_resolution",
)


@receiver(post_save, sender=Interaction)
@receiver(post_delete, sender=Interaction)
def interaction_changed(sender, instance, **kwargs):
    rollups_mark_dirty([(instance.touchpoint_id, instance.day)], wake=False)


@receiver(post_save, sender=Response)
@receiver(post_delete, sender=Response)
def answer_changed(sender, instance, **kwargs):
    """An answer counts on its own day, and on its interaction's day (standard effects).
    Answers through a link are written by one statement that lists them as uncounted
    (answer_sql.py); this covers every other way a response is saved or deleted."""
    keys = [(instance.touchpoint_id, instance.day)]
    if instance.invitation_id:
        interaction = instance.invitation.interaction
        keys.append((interaction.touchpoint_id, interaction.day))
    rollups_mark_dirty(keys, wake=False)


@receiver(post_save, sender=FollowUp)
@receiver(post_delete, sender=FollowUp)
def follow_up_changed(sender, instance, **kwargs):
    """Worked, assigned or removed: the day of its answer counts its loop again."""
    if not getattr(instance, "counted_with_answer", False):
        rollups_mark_dirty([(instance.touchpoint_id, instance.day)], wake=True)


@receiver(post_save, sender=Invitation)
@receiver(post_delete, sender=Invitation)
def invitation_changed(sender, instance, **kwargs):
    """An invitation saved other than by delivery or its link's answer (the admin, a
    script): the day it was sent counts its answered and expired invitations again."""
    if instance.sent_on is not None:
        rollups_mark_dirty([(instance.interaction.touchpoint_id, instance.sent_on)], wake=False)


@receiver(pre_save, sender=Customer)
def remember_segment(sender, instance, **kwargs):
    if instance.pk:
        instance._stored_segment = (
            Customer.objects.filter(pk=instance.pk).values_list("segment", "is_prospect").first()
        )


@receiver(post_save, sender=Customer)
def segment_changed(sender, instance, created, **kwargs):
    """A customer in another segment (or no longer a prospect) moves their answers between
    the per-segment rollups: every day they answered is recounted."""
    now = (instance.segment, instance.is_prospect)
    if created or getattr(instance, "_stored_segment", now) == now:
        return
    days = Response.objects.filter(invitation__interaction__customer=instance)
    rollups_mark_dirty(set(days.values_list("touchpoint_id", "day")), wake=True)


@receiver(post_save, sender=Complaint)
@receiver(post_delete, sender=Complaint)
def complaint_changed(sender, instance, **kwargs):
    """Scorecards count complaints as they are filed and resolved: a cached figure goes."""
    figures_changed()


@receiver(pre_save, sender=Touchpoint)
def remember_targets(sender, instance, **kwargs):
    if instance.pk:
        instance._stored_targets = (
            Touchpoint.objects.filter(pk=instance.pk).values_list(*TARGETS).first()
        )


@receiver(post_save, sender=Touchpoint)
def targets_changed(sender, instance, created, **kwargs):
    """A new target re-counts every day of the touchpoint against it."""
    now = tuple(getattr(instance, name) for name in TARGETS)
    if created or getattr(instance, "_stored_targets", now) == now:
        return
    days = Interaction.objects.filter(touchpoint=instance).values_list("day", flat=True)
    rollups_mark_dirty([(instance.pk, day) for day in days.distinct().order_by()], wake=False)
