"""Saving a designed survey: its settings in place, its questions as a new version (so every
answer keeps the question it was asked, and a version never changes); an unanswered old
version is dropped. One transaction: a survey is saved whole or not at all."""

import re

from django.db import transaction

from surveys.models import (
    FALLBACK_LANGUAGE,
    Question,
    QuestionAnswer,
    QuestionKind,
    QuestionOption,
    Survey,
)

CHOICES = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def initial_rows(survey: Survey) -> list[dict]:
    """The current questions as the designer's formset shows them."""
    rows = []
    for question in survey.current_questions():
        row = {
            "key": question.key,
            "kind": question.kind,
            "required": question.required,
            "scale_points": question.scale_points,
            "show_if": question.show_if,
            "show_if_test": question.show_if_test,
            "show_if_value": _shown_value(question, survey),
            "ORDER": question.position,
        }
        options = list(question.options.all())
        for code in survey.languages or [FALLBACK_LANGUAGE]:
            row[f"wording_{code}"] = question.wording.get(code, "")
            row[f"low_{code}"] = question.low_label.get(code, "")
            row[f"high_{code}"] = question.high_label.get(code, "")
            row[f"options_{code}"] = "\n".join(o.wording.get(code, "") for o in options)
        rows.append(row)
    return rows


def _shown_value(question: Question, survey: Survey) -> str:
    """A branch on a choice is stored by option key and shown as the option's wording."""
    source = survey.questions.filter(version=question.version, key=question.show_if).first()
    if source is not None and source.kind in CHOICES:
        option = source.options.filter(key=question.show_if_value).first()
        return option.wording.get(FALLBACK_LANGUAGE, "") if option else question.show_if_value
    return question.show_if_value


@transaction.atomic
def save_survey(survey_form, questions) -> Survey:
    rows = questions.kept()
    survey_form.instance.asks_own_questions = bool(rows)
    survey = survey_form.save()
    current = list(survey.questions.filter(version=survey.version).prefetch_related("options"))
    if [_spec_of_question(q, survey) for q in current] == [_spec_of_form(f) for f in rows]:
        return survey
    # Every change is a new version, so a version's questions never change (the survey
    # page keeps them per version); the old one goes unless answers keep it.
    if current:
        if not QuestionAnswer.objects.filter(question__in=current).exists():
            Question.objects.filter(pk__in=[q.pk for q in current]).delete()
        survey.version += 1
        survey.save(update_fields=["version"])
    taken = set(Question.objects.filter(survey=survey).values_list("key", flat=True))
    option_keys = {
        q.key: {o.wording.get(FALLBACK_LANGUAGE): o.key for o in q.options.all()} for q in current
    }
    made: dict[str, Question] = {}
    for position, form in enumerate(rows, 1):
        data = form.cleaned_data
        key = data["key"] or _next_key("q", taken)
        taken.add(key)
        question = Question.objects.create(
            survey=survey,
            version=survey.version,
            key=key,
            position=position,
            kind=data["kind"],
            required=data["required"],
            wording=form.texts("wording"),
            scale_points=data["scale_points"] if data["kind"] == QuestionKind.RATING else None,
            low_label=form.texts("low") if data["kind"] == QuestionKind.RATING else {},
            high_label=form.texts("high") if data["kind"] == QuestionKind.RATING else {},
            show_if=data["show_if"],
            show_if_test=data["show_if_test"] if data["show_if"] else "",
            show_if_value=_stored_value(data, made) if data["show_if"] else "",
        )
        if data["kind"] in CHOICES:
            _create_options(question, form.option_lines(), option_keys.get(key, {}))
        made[key] = question
    return survey


def _create_options(question, lines: dict[str, list[str]], known: dict[str, str]) -> None:
    """An option keeps its key across versions while its English wording stays."""
    taken = set()
    options = []
    for position, english in enumerate(lines[FALLBACK_LANGUAGE], 1):
        key = known.get(english)
        if key is None or key in taken:
            key = _next_key("o", taken | set(known.values()))
        taken.add(key)
        wording = {code: words[position - 1] for code, words in lines.items()}
        options.append(QuestionOption(question=question, key=key, position=position,
                                      wording=wording))  # fmt: skip
    QuestionOption.objects.bulk_create(options)


def _stored_value(data, made: dict[str, Question]) -> str:
    value = data["show_if_value"].strip()
    source = made.get(data["show_if"])
    if source is not None and source.kind in CHOICES:
        option = next(o for o in source.options.all() if o.wording[FALLBACK_LANGUAGE] == value)
        return option.key
    return value.lower() if source is not None and source.kind == QuestionKind.YES_NO else value


def _next_key(prefix: str, taken: set[str]) -> str:
    numbers = [int(m.group(1)) for k in taken if (m := re.fullmatch(rf"{prefix}(\d+)", k))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _spec_of_question(question: Question, survey: Survey) -> tuple:
    return (
        question.key, question.kind, question.required, question.wording,
        question.scale_points if question.kind == QuestionKind.RATING else None,
        question.low_label, question.high_label, question.show_if, question.show_if_test,
        _shown_value(question, survey), [o.wording for o in question.options.all()],
    )  # fmt: skip


def _spec_of_form(form) -> tuple:
    data = form.cleaned_data
    rating = data["kind"] == QuestionKind.RATING
    lines = form.option_lines() if data["kind"] in CHOICES else {}
    count = len(lines.get(FALLBACK_LANGUAGE, []))
    return (
        data["key"], data["kind"], data["required"], form.texts("wording"),
        data["scale_points"] if rating else None,
        form.texts("low") if rating else {}, form.texts("high") if rating else {},
        data["show_if"], data["show_if_test"] if data["show_if"] else "",
        data["show_if_value"].strip() if data["show_if"] else "",
        [{code: words[i] for code, words in lines.items()} for i in range(count)],
    )  # fmt: skip
