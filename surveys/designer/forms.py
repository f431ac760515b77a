"""The survey designer's forms: the survey's settings and core measures, and its own
questions as a formset, validated together so that nothing is saved half-right. Every
error names the question and sits beside its field."""

from django import forms
from django.conf import settings

from surveys.asking.forms import ASKED_BY, SCALES
from surveys.models import (
    FALLBACK_LANGUAGE,
    MAX_OPTIONS,
    SCALE_POINTS,
    BranchTest,
    QuestionKind,
    Survey,
)

# The core measures a question can branch on, and their scales.
CORE_SCALES = {name: (low, high) for name, (low, high, *_rest) in SCALES.items()}
TEXT_MAX = 300


def language_name(code: str) -> str:
    return dict(settings.SURVEY_LANGUAGES).get(code, code)


class SurveyForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        choices=settings.SURVEY_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text="The languages its questions are worded in; English is always one.",
    )

    class Meta:
        model = Survey
        fields = [
            "name", "audience", "intro", "languages",
            "asks_expectation_experience", "asks_csat", "asks_nps", "asks_effort",
            "asks_comment", "anonymous", "reminder_after_days", "expires_after_days",
            "is_active",
        ]  # fmt: skip
        labels = {
            "asks_expectation_experience": "Ask what they expected and what they experienced",
            "asks_csat": "Ask satisfaction (CSAT, 1-5)",
            "asks_nps": "Ask likelihood to recommend (NPS, 0-10)",
            "asks_effort": "Ask effort (CES, 1-7)",
            "asks_comment": "Ask for a comment",
        }

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        return [FALLBACK_LANGUAGE, *(code for code in chosen if code != FALLBACK_LANGUAGE)]

    def asks_a_core_measure(self) -> bool:
        return any(self.cleaned_data.get(flag) for flag in set(ASKED_BY.values()))

    def asked_measures(self) -> list[str]:
        data = self.cleaned_data if self.is_valid() else {}
        return [name for name, flag in ASKED_BY.items() if name in SCALES and data.get(flag)]


class QuestionForm(forms.Form):
    """One question; its texts in each of the survey's languages."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=QuestionKind.choices)
    required = forms.BooleanField(required=False)
    scale_points = forms.IntegerField(
        required=False,
        label="Points on the scale",
        help_text=f"For a rating: {SCALE_POINTS[0]} to {SCALE_POINTS[1]}.",
    )
    show_if = forms.ChoiceField(required=False, label="Show only if the answer to")
    show_if_test = forms.ChoiceField(
        required=False, choices=[("", "—"), *BranchTest.choices], label="…"
    )
    show_if_value = forms.CharField(
        required=False,
        max_length=20,
        label="this value",
        help_text="A number, yes or no, or an option as worded in English.",
    )

    def __init__(self, *args, languages, branch_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            name = language_name(code)
            self.fields[f"wording_{code}"] = forms.CharField(
                required=False, max_length=TEXT_MAX, label=f"Question ({name})"
            )
            self.fields[f"low_{code}"] = forms.CharField(
                required=False, max_length=60, label=f"Lowest point's label ({name})"
            )
            self.fields[f"high_{code}"] = forms.CharField(
                required=False, max_length=60, label=f"Highest point's label ({name})"
            )
            self.fields[f"options_{code}"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                label=f"Options ({name}), one a line",
            )
        self.fields["show_if"].choices = [("", "always shown"), *branch_choices]

    def _per_language(self, *prefixes):
        return [self[f"{prefix}_{code}"] for prefix in prefixes for code in self.languages]

    @property
    def wording_fields(self):
        return self._per_language("wording")

    @property
    def rating_fields(self):
        return [self["scale_points"], *self._per_language("low", "high")]

    @property
    def option_fields(self):
        return self._per_language("options")

    def texts(self, prefix: str) -> dict:
        data = self.cleaned_data
        return {code: data[f"{prefix}_{code}"].strip() for code in self.languages
                if data.get(f"{prefix}_{code}", "").strip()}  # fmt: skip

    def option_lines(self) -> dict[str, list[str]]:
        return {
            code: [line.strip() for line in self.cleaned_data[f"options_{code}"].splitlines()]
            for code in self.languages
            if self.cleaned_data.get(f"options_{code}", "").strip()
        }

    def clean(self):
        data = super().clean()
        if self.errors or data.get("DELETE"):
            return data
        kind = data.get("kind")
        if not data.get(f"wording_{FALLBACK_LANGUAGE}", "").strip():
            self.add_error(f"wording_{FALLBACK_LANGUAGE}", "Word the question in English.")
        if kind == QuestionKind.RATING:
            points = data.get("scale_points")
            if points is None or not SCALE_POINTS[0] <= points <= SCALE_POINTS[1]:
                self.add_error(
                    "scale_points",
                    f"A rating has {SCALE_POINTS[0]} to {SCALE_POINTS[1]} points.",
                )
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            self._clean_options()
        return data

    def _clean_options(self):
        lines = self.option_lines()
        english = lines.get(FALLBACK_LANGUAGE, [])
        field = f"options_{FALLBACK_LANGUAGE}"
        if len(english) < 2:
            self.add_error(field, "Give at least two options, one a line.")
            return
        if len(english) > MAX_OPTIONS:
            self.add_error(field, f"At most {MAX_OPTIONS} options ({len(english)} given).")
            return
        for code, words in lines.items():
            blank = [number for number, text in enumerate(words, 1) if not text]
            if blank:
                self.add_error(f"options_{code}", f"Line {blank[0]} is empty.")
            elif code != FALLBACK_LANGUAGE and len(words) != len(english):
                self.add_error(
                    f"options_{code}",
                    f"{len(words)} options, but {len(english)} in English: one a line, "
                    "in the same order.",
                )
        if len(set(english)) != len(english):
            self.add_error(field, "Two options are worded the same.")


class BaseQuestionFormSet(forms.BaseFormSet):
    def __init__(self, *args, languages, core_measures, **kwargs):
        self.languages, self.core_measures = languages, core_measures
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        branch_choices = [(name, f"{name} (core measure)") for name in self.core_measures]
        # Any question's key may be picked; clean() refuses one that is not earlier.
        branch_choices += [(key, f"question {key}") for key in self._keys() if key]
        return {"languages": self.languages, "branch_choices": branch_choices}

    def _keys(self) -> list[str]:
        prefix = self.prefix
        data = self.data or {}
        count = int(data.get(f"{prefix}-TOTAL_FORMS", 0) or 0) if self.is_bound else 0
        keys = [data.get(f"{prefix}-{i}-key", "") for i in range(count)]
        return keys + [form.get("key", "") for form in self.initial or []]

    def kept(self) -> list[QuestionForm]:
        """The questions to save, in their order (deleted and empty extra rows left out)."""
        rows = [
            form for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]  # fmt: skip
        return sorted(rows, key=lambda form: form.cleaned_data.get("ORDER") or 10_000)

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept()
        earlier: dict[str, QuestionForm] = {}
        for form in kept:
            self._clean_branch(form, earlier)
            key = form.cleaned_data.get("key")
            if key:
                earlier[key] = form

    def _clean_branch(self, form, earlier):
        data = form.cleaned_data
        source, test, value = data["show_if"], data["show_if_test"], data["show_if_value"]
        if not source:
            if test or value:
                form.add_error("show_if", "Pick the answer this question depends on.")
            return
        if not test or not value.strip():
            form.add_error("show_if_value", "Say which answers show it.")
            return
        if source in CORE_SCALES:
            if source not in self.core_measures:
                form.add_error("show_if", "The survey no longer asks this.")
                return
            self._clean_number(form, value, *CORE_SCALES[source])
            return
        if source not in earlier:
            form.add_error("show_if", "Branch only on a question asked before this one.")
            return
        before = earlier[source].cleaned_data
        kind = before["kind"]
        if kind == QuestionKind.RATING:
            self._clean_number(form, value, 1, before["scale_points"])
        elif kind == QuestionKind.YES_NO:
            if test != BranchTest.IS or value.strip().lower() not in ("yes", "no"):
                form.add_error("show_if_value", "For a yes or no question: “is” yes, or no.")
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = earlier[source].option_lines().get(FALLBACK_LANGUAGE, [])
            if test != BranchTest.IS or value.strip() not in options:
                form.add_error("show_if_value", "“is” one of its options, worded as in English.")
        else:
            form.add_error("show_if", "A short text cannot be branched on.")

    @staticmethod
    def _clean_number(form, value, low, high):
        try:
            number = int(value)
        except ValueError:
            form.add_error("show_if_value", f"A whole number from {low} to {high}.")
            return
        if not low <= number <= high:
            form.add_error("show_if_value", f"A whole number from {low} to {high}.")


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=30,
    validate_max=True,
)
