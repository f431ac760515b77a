import datetime as dt

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from dashboards.selectors import Who
from journeys.models import JourneyKind, Stage
from surveys.counting.periods import DEFAULT_DAYS, Period, PeriodError, default_period, period_asked
from surveys.models import AnswerSource
from touchpoints.models import Channel, ImprovementAction, Touchpoint


class QuickSelectMultiple(forms.SelectMultiple):
    """Options written in Python: Django renders a template per option, which costs tens of
    milliseconds for a few hundred touchpoints."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value or [])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}" multiple{}>{}</select>', name, final, options)


class PeriodForm(forms.Form):
    """A date range; empty ends mean the last 90 days up to today, and the fields show the
    dates they stand for, not an empty date picker."""

    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_ends_filled(data), *args, **kwargs)
        if data is None:
            shown = default_period()
            self.initial |= {"since": shown.since, "until": shown.until}

    def clean(self):
        data = super().clean()
        try:
            data["period"] = period_asked(data.get("since"), data.get("until"))
        except PeriodError as refused:
            self.add_error("since", str(refused))
        return data

    def period(self) -> Period:
        return self.cleaned_data["period"] if self.is_valid() else default_period()


def _ends_filled(data):
    """The query with each empty end of the period written as the date it means."""
    if data is None or (data.get("since") and data.get("until")):
        return data
    try:
        until = parse_date(data["until"]) if data.get("until") else timezone.localdate()
    except ValueError:  # a well-formed impossible date, such as 2026-02-30
        until = None
    if until is None:
        return data  # a malformed end is the field's own error to show
    data = data.copy()
    data["until"] = until.isoformat()
    if not data.get("since"):
        data["since"] = (until - dt.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    return data


class SourceField(forms.ChoiceField):
    """Answers from one source (the email invitation, the public link, the QR code, ...)."""

    def __init__(self, **kwargs):
        choices = [("", "All sources"), *AnswerSource.choices]
        super().__init__(choices=choices, required=False, label="Answers from", **kwargs)


class ScorecardForm(PeriodForm):
    source = SourceField()

    def who(self) -> Who:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Who(source=data.get("source") or None)


class JourneyMapForm(PeriodForm):
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False)
    backstage = forms.BooleanField(required=False, label="Show the employee lane")


class TrendForm(PeriodForm):
    MEASURES = [("gap", "Gap"), ("csat_percent", "CSAT %"), ("nps", "NPS"), ("ces", "CES")]

    touchpoints = forms.ModelMultipleChoiceField(
        queryset=Touchpoint.objects.none(),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 6}),
    )
    stages = forms.ModelMultipleChoiceField(
        queryset=Stage.objects.filter(journey__kind=JourneyKind.CUSTOMER)
        .select_related("journey")
        .order_by("journey__name", "position"),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 6}),
        help_text="Used when no touchpoint is chosen.",
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False)
    segment = forms.ChoiceField(required=False, label="Customer segment")
    answered_by = forms.ChoiceField(
        required=False,
        choices=[("", "Customers and prospects"), ("customers", "Customers"),
                 ("prospects", "Prospects (walked away)")],
    )  # fmt: skip
    source = SourceField()
    measure = forms.ChoiceField(choices=MEASURES, required=False)
    compare_since = forms.DateField(
        required=False, label="Compare with: from", widget=forms.DateInput(attrs={"type": "date"})
    )
    compare_until = forms.DateField(
        required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, touchpoints=None, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["touchpoints"].queryset = touchpoints
        self.fields["segment"].choices = [("", "All segments"), *((s, s) for s in segments)]

    def who(self) -> Who:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        prospect = {"customers": False, "prospects": True}.get(data.get("answered_by") or "")
        return Who(data.get("segment") or None, prospect, data.get("source") or None)

    def clean(self):
        data = super().clean()
        since, until = data.get("compare_since"), data.get("compare_until")
        if bool(since) != bool(until):
            self.add_error("compare_until", "Give both ends of the period to compare with.")
        elif since and since > until:
            self.add_error("compare_since", "The start must be on or before the end.")
        data["compare"] = Period(since, until) if since and until and since <= until else None
        return data


class ImprovementForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["touchpoint", "title", "description", "status", "changed_on"]
        widgets = {
            "changed_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        if data.get("status") == "done" and not data.get("changed_on"):
            self.add_error("changed_on", "A done action needs the day the change took effect.")
        return data
