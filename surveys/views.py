"""The public survey pages behind the personal link, and the embedded-mode outbox.

GET never changes anything: mail scanners and link previews open links, so only a POST
records an answer or an opt-out. Unknown tokens are throttled per client address.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import links
from .answers import AlreadyAnswered, LinkExpired, is_expired, record_response
from .emails import supported_language
from .forms import AnswerForm
from .models import Invitation, InvitationStatus
from .optout import opt_out

MISS_WINDOW = 600  # seconds
# What the pages and the answer read: the survey's link is opened by every customer, so
# it loads these columns, not the five rows' whole width (a test counts its queries).
PAGE_FIELDS = (
    "status", "expires_at", "survey", "interaction",
    "survey__intro", "survey__anonymous", "survey__asks_expectation_experience",
    "survey__asks_csat", "survey__asks_nps", "survey__asks_effort", "survey__asks_comment",
    "interaction__occurred_at", "interaction__day", "interaction__outcome",
    "interaction__handled_by", "interaction__customer", "interaction__touchpoint",
    "interaction__customer__language", "interaction__touchpoint__name",
)  # fmt: skip


class TooManyMisses(Exception):
    pass


def public_page(view):
    """Survey pages: no referrer (the token is in the URL), never cached, not indexed."""

    @never_cache
    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            invitation = _invitation(request, token)
        except TooManyMisses:
            context = {"company": settings.TOUCHSTONE_COMPANY_NAME}
            response = render(request, "surveys/public/too_many.html", context, status=429)
            response["Retry-After"] = str(MISS_WINDOW)
        else:
            with translation.override(_language(request, invitation)):
                response = view(request, invitation, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


@require_http_methods(["GET", "POST"])
@public_page
def answer(request, invitation):
    if invitation.status == InvitationStatus.ANSWERED:
        return _page(request, invitation, "answered", status=409)
    if is_expired(invitation):
        return _page(request, invitation, "expired", status=410)
    interaction = invitation.interaction
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        survey=invitation.survey,
        company=settings.TOUCHSTONE_COMPANY_NAME,
        walked_away=interaction.customer_walked_away,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_response(invitation, form.cleaned_data, translation.get_language())
        except AlreadyAnswered:
            return _page(request, invitation, "answered", status=409)
        except LinkExpired:
            return _page(request, invitation, "expired", status=410)
        return _page(request, invitation, "thanks")
    status = 400 if form.is_bound else 200
    return _page(request, invitation, "answer", status=status, form=form)


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a session or CSRF token
@require_http_methods(["GET", "POST"])
@public_page
def unsubscribe(request, invitation):
    if request.method == "POST":
        opt_out(invitation.interaction.customer)
        return _page(request, invitation, "unsubscribed")
    return _page(request, invitation, "unsubscribe")


def _page(request, invitation, name, status=200, **context):
    interaction = invitation.interaction
    context |= {
        "invitation": invitation,
        "touchpoint": interaction.touchpoint,
        "occurred_on": timezone.localtime(interaction.occurred_at).date(),
        "company": settings.TOUCHSTONE_COMPANY_NAME,
        "token": request.resolver_match.kwargs["token"],
        "languages": settings.LANGUAGES,
    }
    return render(request, f"surveys/public/{name}.html", context, status=status)


def _invitation(request, token) -> Invitation:
    misses_key = f"survey-link-misses:{request.META.get('REMOTE_ADDR', '')}"
    if cache.get(misses_key, 0) >= settings.TOUCHSTONE_LINK_MISSES_PER_IP:
        raise TooManyMisses
    invitation = None
    if links.is_well_formed(token):
        invitation = (
            Invitation.objects.select_related(
                "survey", "interaction__customer", "interaction__touchpoint"
            )
            .only(*PAGE_FIELDS)
            .filter(token_hash=links.hash_token(token))
            .first()
        )
    if invitation is None:
        if not cache.add(misses_key, 1, timeout=MISS_WINDOW):
            cache.incr(misses_key)
        raise Http404
    return invitation


def _language(request, invitation) -> str:
    """The language picked on the page, else the customer's, else the browser's."""
    chosen = request.GET.get("lang") or request.POST.get("lang")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return supported_language(
        invitation.interaction.customer.language
    ) or translation.get_language_from_request(request)
