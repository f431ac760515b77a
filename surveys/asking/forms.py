"""The customer's answer form: the questions the survey enables, validated on the server."""

from functools import lru_cache
from typing import NamedTuple

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from surveys.models import BranchTest, Question, QuestionKind, in_language

# field: (lowest, highest, question, low anchor, high anchor)
SCALES = {
    "expectation": (
        1, 7, _("Before it happened, how good did you expect it to be?"),
        _("very poor"), _("excellent"),
    ),
    "experience": (
        1, 7, _("And how good was it really?"), _("very poor"), _("excellent"),
    ),
    "csat": (
        1, 5, _("How satisfied are you overall?"), _("very dissatisfied"), _("very satisfied"),
    ),
    "nps": (
        0, 10, _("How likely are you to recommend %(company)s to a friend or colleague?"),
        _("not at all likely"), _("extremely likely"),
    ),
    "effort": (
        1, 7, _("How much effort did it take to get what you needed?"),
        _("very little"), _("a great deal"),
    ),
}  # fmt: skip

# Which survey flag enables which fields.
ASKED_BY = {
    "expectation": "asks_expectation_experience",
    "experience": "asks_expectation_experience",
    "csat": "asks_csat",
    "nps": "asks_nps",
    "effort": "asks_effort",
    "comment": "asks_comment",
}
COMMENT_MAX = 2000
OWN_TEXT_MAX = 300
# A public answer's contact fields: filling them is not answering a question.
CONTACT_FIELDS = ("email", "consent", "website")


class OwnAnswer(NamedTuple):
    """An answer to one of the survey's own questions, as its QuestionAnswer row holds it:
    a tuple, since the answer's statement writes it as it is; a model instance would be
    made on every answer only to be read back."""

    question_id: int
    option_id: int | None = None
    number: int | None = None
    text: str = ""


class ScaleChoices(BaseChoiceIterator):
    """A scale's points, made once: Django normalizes a plain list of choices again for
    every field built, and the form is built on every survey page and answer."""

    def __init__(self, lowest: int, highest: int):
        self.points = tuple((value, str(value)) for value in range(lowest, highest + 1))

    def __iter__(self):
        return iter(self.points)


_CHOICES = {(low, high): ScaleChoices(low, high) for low, high, *_ in SCALES.values()}


class ScaleField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, lowest, highest, question, low, high):
        super().__init__(
            choices=_CHOICES[lowest, highest],
            coerce=int,
            empty_value=None,
            required=False,
            label=question,
        )
        self.anchors = (lowest, low, highest, high)


# Each survey version's questions, as the survey page asks them: read once per process.
_ASKED: dict[tuple[int, int], list[Question]] = {}
ASKED_KEPT = 256


def asked_questions(survey) -> list[Question]:
    """The survey's own questions with their options. A version never changes (the designer
    makes a new one for every edit), so they are read once per version and process."""
    if not survey.asks_own_questions:
        return []
    key = (survey.pk, survey.version)
    found = _ASKED.get(key)
    if found is None:
        if len(_ASKED) >= ASKED_KEPT:
            _ASKED.clear()
        found = _ASKED[key] = survey.current_questions()
    return found


@lru_cache(maxsize=1024)
def own_field(question: Question, language: str) -> forms.Field:
    """The field of one of the survey's own questions, worded in `language` (or English,
    marked `fallback`, where it has no wording there).

    Made once per question and language and shared by the forms that ask it: a question
    never changes (an edit is a new version, new rows), and a form only reads its fields."""
    label, fallback = in_language(question.wording, language)
    kind = question.kind
    if kind == QuestionKind.RATING:
        points = question.scale_points
        field = forms.TypedChoiceField(
            choices=ScaleChoices(1, points), coerce=int, empty_value=None,
            widget=forms.RadioSelect,
        )  # fmt: skip
        low = in_language(question.low_label, language)[0]
        high = in_language(question.high_label, language)[0]
        field.anchors = (1, low, points, high)
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [(o.key, in_language(o.wording, language)[0]) for o in question.options.all()]
        field = (
            forms.ChoiceField(widget=forms.RadioSelect)
            if kind == QuestionKind.SINGLE
            else forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
        )
        field.choices = choices
    elif kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))],
                                  widget=forms.RadioSelect)  # fmt: skip
    else:
        field = forms.CharField(max_length=OWN_TEXT_MAX)
    field.required, field.label = False, label
    field.fallback, field.question = fallback, question
    # The input a branched question's test reads: a core measure's or a question's.
    source = question.show_if
    field.show_if_field = source if source in SCALES or not source else f"q_{source}"
    return field


def chosen_in_email(query) -> dict:
    """A point chosen in the invitation email (a link per point of its first scale): shown
    chosen on the page, recorded only if the customer sends the answer."""
    chosen = {}
    for name, (low, high, *_rest) in SCALES.items():
        value = query.get(name, "")
        if value.isdigit() and low <= int(value) <= high:
            chosen[name] = int(value)
    return chosen


def passes(test: str, answer, value: str) -> bool:
    """Whether an earlier answer shows a branched question: a number at most or at least
    the value, or an option (one of those chosen) or yes/no that is it."""
    if answer in (None, "", []):
        return False
    if test == BranchTest.IS:
        return value in answer if isinstance(answer, list) else str(answer) == value
    number, bound = int(answer), int(value)
    return number <= bound if test == BranchTest.AT_MOST else number >= bound


class AnswerForm(forms.Form):
    def __init__(self, *args, survey, company: str, walked_away: bool, language="en",
                 questions=(), **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        for name, (lowest, highest, question, low, high) in SCALES.items():
            if getattr(survey, ASKED_BY[name]):
                question = question % {"company": company} if name == "nps" else question
                self.fields[name] = ScaleField(lowest, highest, question, low, high)
        if survey.asks_comment:
            self.fields["comment"] = forms.CharField(
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                label=_("What made you go elsewhere?")
                if walked_away
                else _("Anything you would like to tell us?"),
            )
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q_{question.key}"] = own_field(question, language)

    @property
    def has_required(self) -> bool:
        return any(question.required for question in self.questions)

    def own_fields(self):
        return [self[f"q_{question.key}"] for question in self.questions]

    def own_answers(self) -> list[OwnAnswer]:
        """The answers to the survey's own questions: one per option chosen."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.key}")
            if value in (None, "", []):
                continue
            asked = question.pk
            if question.kind == QuestionKind.RATING:
                rows.append(OwnAnswer(asked, number=value))
            elif question.kind == QuestionKind.YES_NO:
                rows.append(OwnAnswer(asked, number=int(value == "yes")))
            elif question.kind == QuestionKind.TEXT:
                rows.append(OwnAnswer(asked, text=value))
            else:
                options = {option.key: option.pk for option in question.options.all()}
                chosen = value if isinstance(value, list) else [value]
                rows += [OwnAnswer(asked, option_id=options[key]) for key in chosen]
        return rows

    def scale_fields(self):
        return [self[name] for name in SCALES if name in self.fields]

    def clean(self):
        data = super().clean()
        self._clean_branches(data)
        if "expectation" in self.fields:
            # The gap needs both halves: one without the other is a slip of the thumb.
            if data.get("expectation") is None and data.get("experience") is not None:
                self.add_error("expectation", _("Please also say what you expected."))
            if data.get("experience") is None and data.get("expectation") is not None:
                self.add_error("experience", _("Please also say how it really was."))
        answered = any(
            value not in (None, "", [], False)
            for name, value in data.items()
            if name in self.fields and name not in CONTACT_FIELDS
        )
        if not answered and not self.errors:
            raise forms.ValidationError(_("Please answer at least one question."))
        return data

    def _clean_branches(self, data):
        """A question its branch hides keeps no answer; a shown required one needs one."""
        for question in self.questions:
            name = f"q_{question.key}"
            source = question.show_if
            if source:
                answer = data.get(source if source in SCALES else f"q_{source}")
                if not passes(question.show_if_test, answer, question.show_if_value):
                    data[name] = None
                    self.errors.pop(name, None)
                    continue
            if question.required and data.get(name) in (None, "", []) and name not in self.errors:
                self.add_error(name, _("Please answer this question."))


class PublicAnswerForm(AnswerForm):
    """An answer at the touchpoint: anyone's, so an email is optional and contact needs
    consent; `website` is a field people never see (a bot that fills it is set aside)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            required=False,
            max_length=254,
            label=_("Your email, if we may contact you about your answer"),
        )
        self.fields["consent"] = forms.BooleanField(
            required=False, label=_("You may contact me about this answer.")
        )
        self.fields["website"] = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error("consent", _("Tick this if we may contact you, or leave out the email."))
        return data

    @property
    def contact_email(self) -> str:
        return self.cleaned_data["email"] if self.cleaned_data.get("consent") else ""
