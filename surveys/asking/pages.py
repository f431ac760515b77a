"""What every customer-facing survey page shares: rendering without the staff pages'
context, the unanswered questions rendered once per language, and telling a POST from
another site's page."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from surveys.asking.forms import AnswerForm

# The unanswered questions' HTML, by template, language and what the questions say; a
# handful in practice.
_UNANSWERED: dict[tuple, str] = {}
UNANSWERED_KEPT = 256


def questions_html(form: AnswerForm) -> dict[str, str]:
    """The scale questions and the survey's own, for the page's context: as answered, or
    unanswered and rendered once for everyone asked the same ones in one language (some
    fifty radio buttons and more: most of the page's cost). A version's own questions
    never change, so their ids say all that they show."""
    scales = tuple((field.name, str(field.label)) for field in form.scale_fields())
    own = tuple(question.pk for question in form.questions)
    return {
        "scales": _rendered("surveys/public/_scales.html", form, scales),
        "own_questions": _rendered("surveys/public/_own_questions.html", form, own) if own else "",
    }


def _rendered(template: str, form: AnswerForm, shown: tuple) -> str:
    if form.is_bound or form.initial:  # as answered, or as chosen in the email
        return render_to_string(template, {"form": form})
    key = (template, translation.get_language(), *shown)
    html = _UNANSWERED.get(key)
    if html is None:
        if len(_UNANSWERED) >= UNANSWERED_KEPT:
            _UNANSWERED.clear()
        html = _UNANSWERED[key] = render_to_string(template, {"form": form})
    return html


def render_page(name: str, context: dict) -> str:
    """Without the staff pages' context processors: a customer's page shows none of it."""
    context = {
        "company": settings.TOUCHSTONE_COMPANY_NAME,
        "languages": settings.LANGUAGES,
        "LANGUAGE_CODE": translation.get_language(),
    } | context
    return render_to_string(f"surveys/public/{name}.html", context)


def sent_from_another_site(request) -> bool:
    """True when the browser says the request comes from another site's page. Browsers
    send this header whatever the referrer policy; servers and old browsers send none."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")
