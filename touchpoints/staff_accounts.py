"""Front-line staff sign in: a CX manager or the department's head invites a Staff record's
person by email, with a link to set their password (Django's password-reset token: it
works once, and for PASSWORD_RESET_TIMEOUT).

The account's user name is the staff email. An account already under that name is linked
rather than duplicated, unless it belongs to another staff record.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lib.mail_headers import header_text
from touchpoints.models import Staff


class InviteRefused(Exception):
    """The person cannot be invited; the message says why."""


@dataclass(frozen=True)
class Invited:
    staff: Staff
    created_account: bool


def invite(staff: Staff, invited_by) -> Invited:
    """Link `staff` to a user account (made if needed) and email a set-password link."""
    if not staff.is_active:
        raise InviteRefused(f"{staff.name} is not active.")
    User = get_user_model()
    with transaction.atomic():
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        user, created = staff.user, False
        if user is None:
            user = User.objects.filter(username__iexact=staff.email).first()
            if user is not None and Staff.objects.filter(user=user).exclude(pk=staff.pk).exists():
                raise InviteRefused(f"The account {staff.email} is another staff member's.")
            if user is None:
                user = User(username=staff.email.lower(), email=staff.email)
                first, _, last = staff.name.partition(" ")
                user.first_name, user.last_name = first[:150], last[:150]
                user.set_unusable_password()
                user.save()
                created = True
            staff.user = user
            staff.save(update_fields=["user"])
        if not user.is_active:
            raise InviteRefused(f"The account {user.get_username()} is switched off.")
        message = _invitation(staff, user, invited_by)
        transaction.on_commit(message.send)
    return Invited(staff, created)


def _invitation(staff: Staff, user, invited_by) -> EmailMessage:
    link = settings.SITE_URL + reverse(
        "set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "staff": staff,
        "username": user.get_username(),
        "link": link,
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "sign_in": settings.SITE_URL + reverse("login"),
    }
    return EmailMessage(
        subject=header_text("Your Touchstone account: your customers' answers and call-backs"),
        body=render_to_string("touchpoints/email/staff_invitation.txt", context),
        to=[staff.email],
    )
