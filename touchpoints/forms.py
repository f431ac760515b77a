"""The touchpoint form, used on the touchpoints page and in the map's card panel."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from touchpoints.models import Audience, Touchpoint


def bound_data(request, files=False) -> tuple:
    """A form's arguments: the posted data on POST, even an empty POST (so the form binds
    and shows what is missing), and nothing on GET."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


# Time targets are stored in seconds and edited in minutes, as people set them.
TIME_TARGETS = {
    "target_wait_seconds": "Wait target (minutes)",
    "target_response_seconds": "Response target (minutes)",
    "target_resolution_seconds": "Resolution target (minutes)",
}


class UniqueNameInDepartment:
    """A clear error on the name field rather than the constraint's generic one."""

    def clean(self):
        data = super().clean()
        name, department = data.get("name"), data.get("department")
        same_name = Touchpoint.objects.filter(department=department, name__iexact=name)
        if name and department and same_name.exclude(pk=self.instance.pk).exists():
            self.add_error("name", f"{department} already has a touchpoint named “{name}”.")
        return data


class NewTouchpointForm(UniqueNameInDepartment, forms.ModelForm):
    """The few fields that make a touchpoint, for creating one on the map's stage."""

    class Meta:
        model = Touchpoint
        fields = ["name", "channel", "department"]


class TouchpointForm(UniqueNameInDepartment, forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = [
            "name",
            "channel",
            "department",
            "audience",
            "description",
            "supports",
            "target_first_contact_resolution",
            "effort_estimate",
            "surveyed",
            "survey",
            "survey_delay",
            "survey_cap_days",
        ]
        labels = {
            "target_first_contact_resolution": "First-contact resolution target (%)",
            "effort_estimate": "Effort to improve (1-5)",
            "survey_cap_days": "At most one survey per customer every (days)",
        }
        help_texts = {"survey_delay": "e.g. 02:00:00 for two hours after the interaction."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "supports": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in TIME_TARGETS.items():
            seconds = getattr(self.instance, name)
            self.fields[name.replace("_seconds", "_minutes")] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=2,
                initial=None if seconds is None else round(seconds / 60, 2),
            )
        # The model's check constraints, as field errors rather than one generic message.
        for name, low, high in (
            ("target_first_contact_resolution", 0, 100),
            ("effort_estimate", 1, 5),
        ):
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
            self.fields[name].widget.attrs.update(min=low, max=high)
        self.fields["follow_up_hours"] = forms.DecimalField(
            label="Call back within (hours)",
            required=False,
            help_text="A customer who needs a call back is first contacted within this time, "
            "or the follow-up is overdue and the department's heads are told.",
            min_value=Decimal("0.25"),
            max_value=30 * 24,
            max_digits=6,
            decimal_places=2,
            initial=round(Decimal(self.instance.follow_up_within.total_seconds()) / 3600, 2),
        )
        self.fields["supports"].queryset = Touchpoint.objects.filter(
            audience=Audience.CUSTOMER
        ).select_related("department")
        self.fields["supports"].help_text = (
            "For an employee-side touchpoint: the customer touchpoints it supports "
            "(shown in the map's backstage lane)."
        )
        self.order_fields(
            [
                *self.Meta.fields[:6],
                *self._minute_fields(),
                *self.Meta.fields[6:],
                "follow_up_hours",
            ]
        )

    @staticmethod
    def _minute_fields():
        return [name.replace("_seconds", "_minutes") for name in TIME_TARGETS]

    def clean(self):
        data = super().clean()
        if data.get("surveyed") and not data.get("survey"):
            self.add_error("survey", "Pick the survey to send, or turn surveying off.")
        if data.get("supports") and data.get("audience") != Audience.EMPLOYEE:
            self.add_error(
                "supports", "Only an employee-side touchpoint supports customer touchpoints."
            )
        if self.instance.pk and any(tp.pk == self.instance.pk for tp in data.get("supports", [])):
            self.add_error("supports", "A touchpoint cannot support itself.")
        return data

    def save(self, commit=True):
        for name in TIME_TARGETS:
            minutes = self.cleaned_data.get(name.replace("_seconds", "_minutes"))
            setattr(self.instance, name, None if minutes is None else round(minutes * 60))
        hours = self.cleaned_data.get("follow_up_hours")
        if hours is not None:  # left empty: the policy stays as it was
            self.instance.follow_up_within = dt.timedelta(seconds=round(hours * 3600))
        return super().save(commit)
