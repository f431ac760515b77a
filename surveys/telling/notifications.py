"""Telling people that a customer needs a call back: the department's heads when a
follow-up opens or goes overdue, a staff member when it is assigned to them."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lib.mail_headers import header_text
from surveys.models import FollowUp


def notify_heads(follow_up_id: int) -> bool:
    """Email the owning department's heads (copying the assignee) once; False when there is
    nobody to tell or it was done already."""
    with transaction.atomic():
        claimed = FollowUp.objects.filter(pk=follow_up_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    if not claimed:
        return False
    follow_up = FollowUp.objects.select_related(
        "assigned_to",
        "response__touchpoint__department",
        "response__invitation__interaction__customer",
    ).get(pk=follow_up_id)
    message = follow_up_message(follow_up)
    if message is None:
        return False
    try:
        message.send()
    except OSError:
        # Let the task retry: un-claim so the next run sends it.
        FollowUp.objects.filter(pk=follow_up_id).update(notified_at=None)
        raise
    return True


def follow_up_message(follow_up: FollowUp) -> EmailMessage | None:
    return _to_heads(
        follow_up,
        f"Follow-up: {follow_up.get_reason_display()} at {follow_up.response.touchpoint.name}",
        "surveys/email/follow_up.txt",
    )


def overdue_message(follow_up: FollowUp) -> EmailMessage | None:
    return _to_heads(
        follow_up,
        f"Overdue follow-up at {follow_up.response.touchpoint.name}",
        "surveys/email/follow_up_overdue.txt",
    )


def notify_assignee(follow_up_id: int) -> bool:
    """Email the person a follow-up was just assigned to; False when there is nobody."""
    follow_up = (
        FollowUp.objects.select_related("assigned_to", "response__touchpoint")
        .filter(pk=follow_up_id)
        .first()
    )
    staff = follow_up and follow_up.assigned_to
    if staff is None or not staff.email:
        return False
    subject = f"A customer to call back: {follow_up.response.touchpoint.name}"
    EmailMessage(
        subject=header_text(subject),
        body=render_to_string(
            "surveys/email/follow_up_assigned.txt", _context(follow_up, with_customer=False)
        ),
        to=[staff.email],
    ).send()
    return True


def _to_heads(follow_up: FollowUp, subject: str, template: str) -> EmailMessage | None:
    """The heads are told, the person it is assigned to is copied."""
    department = follow_up.response.touchpoint.department
    heads = [user.email for user in department.heads.all() if user.email]
    if not heads:
        return None
    assignee = follow_up.assigned_to
    return EmailMessage(
        subject=header_text(subject),
        body=render_to_string(template, _context(follow_up)),
        to=heads,
        cc=[assignee.email] if assignee and assignee.email else [],
    )


def _context(follow_up: FollowUp, with_customer: bool = True) -> dict:
    response = follow_up.response
    interaction = response.invitation.interaction if with_customer and response.invitation else None
    return {
        "follow_up": follow_up,
        "response": response,
        "touchpoint": response.touchpoint,
        "customer": interaction.customer if interaction else None,
        "interaction": interaction,
        "follow_up_url": settings.SITE_URL + reverse("surveys:follow_up", args=[follow_up.pk]),
    }
