"""The survey designer (CX managers): the surveys, and one survey's settings, core
measures and own questions on one page, saved whole or not at all."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveys.asking import views as customer_pages
from surveys.asking.forms import ASKED_BY, SCALES
from surveys.designer.forms import QuestionFormSet, SurveyForm
from surveys.designer.saving import initial_rows, save_survey
from surveys.models import FALLBACK_LANGUAGE, Survey
from touchpoints.forms import bound_data
from touchpoints.roles import cx_manager_required

PREFIX = "questions"


@cx_manager_required
def survey_list(request):
    surveys = Survey.objects.annotate(
        touchpoint_count=Count("touchpoints", distinct=True),
        question_count=Count("questions", filter=Q(questions__version=F("version")), distinct=True),
    )
    return render(request, "surveys/designer/list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@cx_manager_required
def survey_edit(request, pk=None):
    survey = get_object_or_404(Survey, pk=pk) if pk else Survey(languages=[FALLBACK_LANGUAGE])
    survey_form = SurveyForm(*bound_data(request), instance=survey)
    languages = _languages(survey_form, survey)
    questions = QuestionFormSet(
        *bound_data(request),
        prefix=PREFIX,
        initial=None if request.method == "POST" else initial_rows(survey) if pk else [],
        languages=languages,
        core_measures=_core_measures(survey_form, survey),
    )
    # Both are checked, so that every error shows at once.
    valid = request.method == "POST" and all([survey_form.is_valid(), questions.is_valid()])
    if (
        valid
        and not survey_form.asked_measures()
        and not survey_form.cleaned_data.get("asks_comment")
        and not questions.kept()
    ):
        survey_form.add_error(None, "A survey must ask something: a core measure or a question.")
        valid = False
    if valid:
        version = survey.version if pk else None
        survey = save_survey(survey_form, questions)
        note = (
            f" Its questions are now version {survey.version}: the answers given so far keep "
            "the questions they were asked."
            if version and survey.version != version
            else ""
        )
        messages.success(request, f"Survey “{survey.name}” saved.{note}")
        return redirect("surveys:survey_edit", survey.pk)
    context = {
        "survey": survey if pk else None,
        "survey_form": survey_form,
        "questions": questions,
        "languages": languages,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/designer/edit.html", context, status=status)


def _languages(survey_form, survey) -> list[str]:
    """The languages whose wording the questions ask for: as posted, else as saved."""
    posted = survey_form.data.getlist("languages") if survey_form.is_bound else None
    chosen = posted if posted is not None else (survey.languages or [])
    offered = [code for code, _name in settings.SURVEY_LANGUAGES if code != FALLBACK_LANGUAGE]
    return [FALLBACK_LANGUAGE, *(code for code in offered if code in chosen)]


def _core_measures(survey_form, survey) -> list[str]:
    if survey_form.is_bound:
        return survey_form.asked_measures()
    return [name for name, flag in ASKED_BY.items() if name in SCALES and getattr(survey, flag)]


@cx_manager_required
def survey_preview(request, pk):
    """The survey page at phone size, in each of its languages."""
    survey = get_object_or_404(Survey, pk=pk)
    language = request.GET.get("lang", FALLBACK_LANGUAGE)
    languages = [(code, name) for code, name in settings.SURVEY_LANGUAGES
                 if code in (survey.languages or [FALLBACK_LANGUAGE])]  # fmt: skip
    context = {"survey": survey, "language": language, "languages": languages}
    return render(request, "surveys/designer/preview.html", context)


# Nothing is recorded from it: a POST is only checked, as a customer's would be.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@cx_manager_required
def survey_preview_page(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    return customer_pages.preview(request, survey, "Showroom visit")
