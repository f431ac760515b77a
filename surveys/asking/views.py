"""The public survey pages behind the personal link.

GET never changes anything: mail scanners and link previews open links, so only a POST
records an answer or an opt-out. Unknown tokens are throttled per client address.

No cookie and no CSRF token: the 256-bit token in the URL is what proves that the
page was opened by the person it was sent to, and a forger who knew it could post the
answer themselves. Django's CSRF check would add nothing but failures: the pages send
no referrer (the token must not reach another site), so browsers post `Origin: null`,
which the check refuses, and a browser that blocks cookies would be refused too. What
a browser says about where a POST comes from (Sec-Fetch-Site) still refuses one sent
from another site.
"""

from functools import lru_cache, wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lib.client_address import client_address
from surveys.asking import links
from surveys.asking.answer_sql import link_by_token_hash
from surveys.asking.answers import AlreadyAnswered, LinkExpired, is_expired, record_response
from surveys.asking.emails import supported_language
from surveys.asking.forms import AnswerForm, asked_questions, chosen_in_email
from surveys.asking.optout import opt_out
from surveys.asking.pages import questions_html, render_page, sent_from_another_site
from surveys.models import Invitation, InvitationStatus

MISS_WINDOW = 600  # seconds
# Pages that read the same for everyone who reaches them about one touchpoint in one
# language: rendered once per process (the thanks page follows every answer).
CLOSING_PAGES = frozenset({"thanks", "answered", "expired", "unsubscribed"})


class TooManyMisses(Exception):
    pass


def public_page(view):
    """Survey pages: no referrer (the token is in the URL), never cached, not indexed,
    posted to only from themselves."""

    @csrf_exempt  # the token in the URL is the proof (see above)
    @never_cache
    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        if request.method == "POST" and sent_from_another_site(request):
            response = HttpResponse(render_page("cross_site", {}), status=403)
            response["Referrer-Policy"] = "no-referrer"
            return response
        try:
            invitation = _invitation(request, token)
        except TooManyMisses:
            response = HttpResponse(render_page("too_many", {}), status=429)
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
    survey = invitation.survey
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        survey=survey,
        company=settings.TOUCHSTONE_COMPANY_NAME,
        walked_away=interaction.customer_walked_away,
        language=translation.get_language(),
        questions=asked_questions(survey),
        initial=chosen_in_email(request.GET),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_response(
                invitation, form.cleaned_data, translation.get_language(), form.own_answers()
            )
        except AlreadyAnswered:
            return _page(request, invitation, "answered", status=409)
        except LinkExpired:
            return _page(request, invitation, "expired", status=410)
        return _page(request, invitation, "thanks")
    status = 400 if form.is_bound else 200
    return _page(request, invitation, "answer", status=status, form=form, **questions_html(form))


# RFC 8058 one-click: mail providers POST from their servers, which send no Sec-Fetch-Site.
@require_http_methods(["GET", "POST"])
@public_page
def unsubscribe(request, invitation):
    if request.method == "POST":
        opt_out(invitation.interaction.customer)
        return _page(request, invitation, "unsubscribed")
    return _page(request, invitation, "unsubscribe")


def _page(request, invitation, name, status=200, **context):
    interaction = invitation.interaction
    if name in CLOSING_PAGES:
        html = _closing_page(
            name,
            translation.get_language(),
            interaction.touchpoint.name,
            settings.TOUCHSTONE_COMPANY_NAME,
        )
    else:
        context |= {
            "invitation": invitation,
            "survey": invitation.survey,
            "touchpoint": interaction.touchpoint,
            "occurred_on": timezone.localtime(interaction.occurred_at).date(),
            "token": request.resolver_match.kwargs["token"],
        }
        html = render_page(name, context)
    return HttpResponse(html, status=status)


@lru_cache(maxsize=4096)
def _closing_page(name: str, language: str, touchpoint_name: str, company: str) -> str:
    """All that the page shows keys it: the language active, the name, the company's."""
    return render_page(name, {"touchpoint": {"name": touchpoint_name}, "token": True})


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def preview(request, survey, touchpoint_name: str) -> HttpResponse:
    """The survey page as a customer sees it, for its designer (framed in the designer at
    phone size): answers are checked as for a customer, and nothing is recorded."""
    chosen = request.GET.get("lang") or request.POST.get("lang")
    language = chosen if chosen in (survey.languages or ["en"]) else "en"
    with translation.override(language):
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            survey=survey,
            company=settings.TOUCHSTONE_COMPANY_NAME,
            walked_away=False,
            language=language,
            questions=asked_questions(survey),
        )
        done = request.method == "POST" and form.is_valid()
        context = {
            "survey": survey,
            "touchpoint": {"name": touchpoint_name},
            "occurred_on": timezone.localdate(),
            "preview": True,
            "token": True,  # shows the languages
            "languages": [
                (code, name) for code, name in settings.SURVEY_LANGUAGES
                if code in (survey.languages or ["en"])
            ],
        }  # fmt: skip
        if done:
            html = render_page("preview_answered", context)
        else:
            html = render_page("answer", context | {"form": form} | questions_html(form))
    return HttpResponse(html, status=400 if form.is_bound and not done else 200)


def _invitation(request, token) -> Invitation:
    """The link's invitation. Guesses are throttled, not owners: a real link always opens,
    and only an address that has missed too often gets 429 for its next misses."""
    invitation = None
    if links.is_well_formed(token):
        # Every customer's link: one statement, planned once, reading what the pages show.
        invitation = link_by_token_hash(links.hash_token(token))
    if invitation is not None:
        return invitation
    misses_key = f"survey-link-misses:{client_address(request)}"
    if cache.get(misses_key, 0) >= settings.TOUCHSTONE_LINK_MISSES_PER_IP:
        raise TooManyMisses
    if not cache.add(misses_key, 1, timeout=MISS_WINDOW):
        cache.incr(misses_key)
    raise Http404


def _language(request, invitation) -> str:
    """The language picked on the page, else the customer's, else the browser's."""
    chosen = request.GET.get("lang") or request.POST.get("lang")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return supported_language(
        invitation.interaction.customer.language
    ) or translation.get_language_from_request(request)
