"""Telling a department's heads that a customer needs a call back."""

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
    response = follow_up.response
    department = response.touchpoint.department
    heads = [user.email for user in department.heads.all() if user.email]
    if not heads:
        return None
    interaction = response.invitation.interaction if response.invitation else None
    context = {
        "follow_up": follow_up,
        "response": response,
        "touchpoint": response.touchpoint,
        "customer": interaction.customer if interaction else None,
        "interaction": interaction,
        "department_url": settings.SITE_URL
        + reverse("dashboards:department", args=[department.pk]),
    }
    subject = header_text(
        f"Follow-up: {follow_up.get_reason_display()} at {response.touchpoint.name}"
    )
    assignee = follow_up.assigned_to
    return EmailMessage(
        subject=subject,
        body=render_to_string("surveys/email/follow_up.txt", context),
        to=heads,
        cc=[assignee.email] if assignee and assignee.email else [],
    )
