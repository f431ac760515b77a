"""The survey emails: HTML and plain text in the customer's language, naming the touchpoint
and the day, with one-click unsubscribe headers (RFC 8058)."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lib.mail_headers import header_text
from surveys.asking import links
from surveys.asking.forms import ASKED_BY, SCALES
from surveys.models import Invitation


def supported_language(language: str) -> str | None:
    """The site language matching a customer's language tag (de-AT → de), if any."""
    base = (language or "").split("-")[0].lower()
    return base if base in dict(settings.LANGUAGES) else None


def _recipient(customer) -> str:
    name = header_text(customer.name)
    return formataddr((name, customer.email)) if name else customer.email


def first_scale(survey, company: str) -> dict | None:
    """The survey's first core scale, for the email to ask in place: its question, its
    ends, and a link per point (the survey opens with that point chosen; only the
    customer's own POST there records anything, so a mail scanner following every link
    records nothing)."""
    for name, (low, high, question, low_label, high_label) in SCALES.items():
        if getattr(survey, ASKED_BY[name]):
            text = question % {"company": company} if name == "nps" else question
            return {
                "name": name, "question": text, "points": range(low, high + 1),
                "low": low, "high": high, "low_label": low_label, "high_label": high_label,
            }  # fmt: skip
    return None


def survey_message(invitation: Invitation, token: str, *, reminder: bool = False):
    interaction = invitation.interaction
    customer = interaction.customer
    unsubscribe_url = links.absolute_url("surveys:unsubscribe", token)
    kind = "reminder" if reminder else "first"
    with translation.override(supported_language(customer.language) or settings.LANGUAGE_CODE):
        context = {
            "customer_name": customer.name,
            "touchpoint": interaction.touchpoint.name,
            "occurred_on": timezone.localtime(interaction.occurred_at).date(),
            "expires_on": timezone.localtime(invitation.expires_at).date(),
            "survey_url": links.absolute_url("surveys:answer", token),
            "unsubscribe_url": unsubscribe_url,
            "company": settings.TOUCHSTONE_COMPANY_NAME,
            "reminder": reminder,
            "walked_away": interaction.customer_walked_away,
            "first_scale": first_scale(invitation.survey, settings.TOUCHSTONE_COMPANY_NAME),
        }
        subject = (
            _("Reminder: how was %(touchpoint)s?") if reminder else _("How was %(touchpoint)s?")
        ) % {"touchpoint": header_text(interaction.touchpoint.name)}
        text = render_to_string("surveys/email/invitation.txt", context)
        html = render_to_string("surveys/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[_recipient(customer)],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per invitation and kind, so a resend after a crash can be de-duplicated.
            "Message-ID": f"<invitation-{invitation.pk}-{kind}@{settings.TOUCHSTONE_MAIL_DOMAIN}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
