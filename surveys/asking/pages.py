"""What every customer-facing survey page shares: rendering without the staff pages'
context, the scale questions rendered once per language, and telling a POST from another
site's page."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from surveys.asking.forms import AnswerForm

# The unanswered scale questions, by language and wording; a handful in practice.
_UNANSWERED_SCALES: dict[tuple, str] = {}
UNANSWERED_SCALES_KEPT = 256


def scales_html(form: AnswerForm) -> str:
    """The scale questions: as answered, or unanswered and rendered once for everyone asked
    the same ones in one language (some fifty radio buttons: most of the page's cost)."""
    if form.is_bound or form.initial:  # as answered, or as chosen in the email
        return render_to_string("surveys/public/_scales.html", {"form": form})
    # All that the unanswered questions show: the language, each question and its wording.
    key = (translation.get_language(), *((f.name, str(f.label)) for f in form.scale_fields()))
    html = _UNANSWERED_SCALES.get(key)
    if html is None:
        if len(_UNANSWERED_SCALES) >= UNANSWERED_SCALES_KEPT:
            _UNANSWERED_SCALES.clear()
        html = _UNANSWERED_SCALES[key] = render_to_string(
            "surveys/public/_scales.html", {"form": form}
        )
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
