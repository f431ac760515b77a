"""The survey where the touchpoint is: its public link (and the QR code that carries it,
`?via=qr`), a kiosk on a tablet at the counter, and a widget framed on the company's site.

No cookie is set and no CSRF token is needed: nobody is signed in, the link is public, and
what guards it is in public_answers.py. A GET never records anything. Like the personal
link's pages, they send no referrer (the token is in the URL) and refuse a POST that a
browser says came from another site's page (a widget's form posts from its own frame)."""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lib.client_address import client_address
from surveys.asking.forms import PublicAnswerForm, asked_questions
from surveys.asking.pages import questions_html, render_page, sent_from_another_site
from surveys.asking.public_answers import (
    browser_key,
    record_public_answer,
    set_aside_reason,
    touchpoint_of_link,
)
from surveys.models import AnswerSource, SetAsideAnswer

# A kiosk starts afresh this long after an answer, and after this long untouched.
KIOSK_THANKS_SECONDS = 5
KIOSK_IDLE_SECONDS = 60


def _public(view):
    @csrf_exempt
    @never_cache
    @require_http_methods(["GET", "POST"])
    def wrapped(request, token):
        if request.method == "POST" and sent_from_another_site(request):
            response = HttpResponse(render_page("cross_site", {}), status=403)
        else:
            touchpoint = touchpoint_of_link(token)
            if touchpoint is None:
                raise Http404
            with translation.override(_language(request, touchpoint.survey)):
                response = view(request, touchpoint, token)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    wrapped.__name__ = view.__name__
    return wrapped


@_public
def public_answer(request, touchpoint, token):
    source = AnswerSource.QR if request.GET.get("via") == "qr" else AnswerSource.LINK
    return _answer(request, touchpoint, token, source)


@_public
def kiosk(request, touchpoint, token):
    return _answer(request, touchpoint, token, AnswerSource.KIOSK)


@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.TOUCHSTONE_WIDGET_ORIGINS})
@_public
def widget(request, touchpoint, token):
    return _answer(request, touchpoint, token, AnswerSource.WIDGET)


def _answer(request, touchpoint, token, source):
    survey = touchpoint.survey
    language = translation.get_language()
    form = PublicAnswerForm(
        request.POST if request.method == "POST" else None,
        survey=survey,
        company=settings.TOUCHSTONE_COMPANY_NAME,
        walked_away=False,
        language=language,
        questions=asked_questions(survey),
    )
    context = {
        "survey": survey,
        "touchpoint": touchpoint,
        "source": source,
        "public": True,
        "kiosk": source == AnswerSource.KIOSK,
        "token": token,
        "occurred_on": timezone.localdate(),
        "languages": _languages(survey),
        "reset_after": KIOSK_IDLE_SECONDS,
        "lang_suffix": "&via=qr" if source == AnswerSource.QR else "",
        "here": request.path,
    }
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        reason = set_aside_reason(
            touchpoint,
            source,
            address=address,
            browser=browser_key(address, request.headers.get("User-Agent", ""), touchpoint),
            honeypot=form.cleaned_data.get("website"),
        )
        result = record_public_answer(
            touchpoint, source, form.cleaned_data, form.own_answers(), language,
            email=form.contact_email, set_aside=reason,
        )  # fmt: skip
        # Kept aside or counted, the person is thanked alike: a bot learns nothing.
        context["set_aside"] = isinstance(result, SetAsideAnswer)
        context["reset_after"] = KIOSK_THANKS_SECONDS
        return HttpResponse(render_page("public_thanks", context))
    status = 400 if form.is_bound else 200
    page = render_page("public_answer", context | {"form": form} | questions_html(form))
    return HttpResponse(page, status=status)


def _languages(survey) -> list[tuple[str, str]]:
    """The page's languages: the survey's own, each with fixed texts or in English."""
    wanted = survey.languages or ["en"]
    return [(code, name) for code, name in settings.SURVEY_LANGUAGES if code in wanted]


def _language(request, survey) -> str:
    """The language picked on the page, else the browser's if the survey has it."""
    wanted = survey.languages or ["en"]
    chosen = request.GET.get("lang") or request.POST.get("lang")
    if chosen in wanted:
        return chosen
    browser = translation.get_language_from_request(request).split("-")[0].lower()
    return browser if browser in wanted else "en"
