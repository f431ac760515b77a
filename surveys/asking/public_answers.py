"""Answers given at the touchpoint, with no invitation: through its public link, the QR
code that carries it, a kiosk, or a website widget. Every such answer lands on the
touchpoint and says where it came from.

Anonymous unless the person leaves an email and agrees to be contacted: then they are
matched as a customer (from an untrusted door: their record is not changed), the consent
is recorded, and a detractor gets a follow-up like any other.

A public link is open to anyone, so abuse is contained: a honeypot field, a throttle per
address and per touchpoint, the same browser answering again within minutes, and a daily
cap per touchpoint. An answer that trips one is kept aside (SetAsideAnswer), never
counted, for CX managers to see; the scores say how many were."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from surveys import enqueue
from surveys.asking.answers import SCORES, follow_up_reason, open_follow_up
from surveys.asking.forms import OwnAnswer
from surveys.asking.intake import CustomerDetails, match_customer
from surveys.models import (
    PUBLIC_SOURCES,
    AnswerSource,
    QuestionAnswer,
    Response,
    SetAsideAnswer,
    SetAsideReason,
    UncountedResponse,
)
from surveys.telling import webhooks
from touchpoints.identity import Reporter
from touchpoints.models import Touchpoint, local_day

TOKEN_BYTES = 18  # 24 characters in a URL, 144 bits: not guessed
DUPLICATE_WINDOW = 600  # seconds: the same browser answering again is set aside
ADDRESS_WINDOW = 3600
TOUCHPOINT_WINDOW = 60


def open_public_link(touchpoint: Touchpoint, renew: bool = False) -> str:
    """The touchpoint's public link token, made now if it has none (or a new one, which
    ends the old link and every QR code printed with it)."""
    if touchpoint.public_token is None or renew:
        touchpoint.public_token = secrets.token_urlsafe(TOKEN_BYTES)
        touchpoint.save(update_fields=["public_token", "updated_at"])
    return touchpoint.public_token


def close_public_link(touchpoint: Touchpoint) -> None:
    touchpoint.public_token = None
    touchpoint.save(update_fields=["public_token", "updated_at"])


def touchpoint_of_link(token: str) -> Touchpoint | None:
    """The touchpoint a public link opens, with a survey to ask; None for an unknown or
    closed link, or a touchpoint that asks nothing."""
    if not token or len(token) > 64:
        return None
    return (
        Touchpoint.objects.select_related("survey")
        .filter(public_token=token, survey__isnull=False, survey__is_active=True)
        .first()
    )


def browser_key(address: str, user_agent: str, touchpoint: Touchpoint) -> str:
    """One browser at one touchpoint, without keeping who it is: a hash, held for minutes."""
    seen = f"{address}|{user_agent}|{touchpoint.pk}|{settings.SECRET_KEY}".encode()
    return hashlib.sha256(seen).hexdigest()


def _over(key: str, limit: int, window: int) -> bool:
    """Count one more in a window of the shared cache; True once past the limit."""
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False


def set_aside_reason(touchpoint, source, *, address, browser, honeypot) -> str | None:
    """Why this answer is not to be counted, or None. A kiosk is many people at one
    browser and one address: only the touchpoint's own limits apply to it."""
    if honeypot:
        return SetAsideReason.HONEYPOT
    if source != AnswerSource.KIOSK:
        if not cache.add(f"public-answer-seen:{browser}", 1, timeout=DUPLICATE_WINDOW):
            return SetAsideReason.DUPLICATE
        limit = settings.TOUCHSTONE_PUBLIC_ANSWERS_PER_ADDRESS
        if _over(f"public-answers-address:{address}", limit, ADDRESS_WINDOW):
            return SetAsideReason.ADDRESS
    limit = settings.TOUCHSTONE_PUBLIC_ANSWERS_PER_MINUTE
    if _over(f"public-answers-touchpoint:{touchpoint.pk}", limit, TOUCHPOINT_WINDOW):
        return SetAsideReason.TOUCHPOINT
    return None


def record_public_answer(
    touchpoint: Touchpoint,
    source: str,
    answers: dict,
    own_answers: list[OwnAnswer],
    language: str,
    *,
    email: str = "",
    set_aside: str | None = None,
) -> Response | SetAsideAnswer:
    """Count the answer on the touchpoint, or keep it aside (the guards' reason, or the
    daily cap); with an email (consent given) the person is matched as a customer."""
    assert source in PUBLIC_SOURCES
    now = timezone.now()
    day = local_day(now)
    with transaction.atomic():
        # One at a time per touchpoint, so the daily cap holds under concurrent answers.
        Touchpoint.objects.select_for_update().filter(pk=touchpoint.pk).first()
        if set_aside is None:
            counted = Response.objects.filter(
                touchpoint=touchpoint, day=day, source__in=PUBLIC_SOURCES
            ).count()
            if counted >= touchpoint.public_daily_cap:
                set_aside = SetAsideReason.DAILY_CAP
        if set_aside is not None:
            kept = {name: answers.get(name) for name in (*SCORES, "comment")}
            return SetAsideAnswer.objects.create(
                touchpoint=touchpoint, source=source, reason=set_aside, day=day, answers=kept
            )
        customer = None
        if email:
            details = CustomerDetails(email=email, language=language)
            customer = match_customer(details, Reporter(None, f"{source} answer"))
        response = Response.objects.create(
            touchpoint=touchpoint,
            source=source,
            customer=customer,
            contact_consent_at=now if customer else None,
            submitted_at=now,
            day=day,
            language=language,
            comment=answers.get("comment") or "",
            **{name: answers.get(name) for name in SCORES},
        )
        QuestionAnswer.objects.bulk_create(
            QuestionAnswer(response=response, **row._asdict()) for row in own_answers
        )
        # Counted as a link's answer is: added to its day by the next drain.
        UncountedResponse.objects.create(response=response)
        reason = follow_up_reason(response) if customer else None
        follow_up = open_follow_up(response, reason, None) if reason else None
        hooks = webhooks.hooks_told_of_answer(response, follow_up is not None)
        if hooks:
            webhooks.answer_events(response, follow_up, hooks)
    enqueue.wake_on_commit(enqueue.DRAIN_ROLLUPS)
    if response.comment:
        enqueue.on_commit(enqueue.SCORE_RESPONSE_SENTIMENT, response.pk)
    return response
