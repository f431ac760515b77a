"""The customer's answer form: the questions the survey enables, validated on the server."""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

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


class AnswerForm(forms.Form):
    def __init__(self, *args, survey, company: str, walked_away: bool, **kwargs):
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

    def scale_fields(self):
        return [self[name] for name in SCALES if name in self.fields]

    def clean(self):
        data = super().clean()
        if "expectation" in self.fields:
            # The gap needs both halves: one without the other is a slip of the thumb.
            if data.get("expectation") is None and data.get("experience") is not None:
                self.add_error("expectation", _("Please also say what you expected."))
            if data.get("experience") is None and data.get("expectation") is not None:
                self.add_error("experience", _("Please also say how it really was."))
        answered = any(
            value not in (None, "") for name, value in data.items() if name in self.fields
        )
        if not answered and not self.errors:
            raise forms.ValidationError(_("Please answer at least one question."))
        return data
