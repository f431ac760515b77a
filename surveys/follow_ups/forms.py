"""The forms a follow-up is worked with, one per action."""

from django import forms

from surveys.models import ContactChannel, ContactOutcome
from touchpoints.models import Staff

NOTE = forms.Textarea(attrs={"rows": 3})


class ContactForm(forms.Form):
    channel = forms.ChoiceField(choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    outcome = forms.ChoiceField(choices=ContactOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False, widget=NOTE, max_length=4000, help_text="What was said or agreed."
    )


class ResolveForm(forms.Form):
    note = forms.CharField(label="How it was resolved", widget=NOTE, max_length=4000, strip=True)


class ReopenForm(forms.Form):
    note = forms.CharField(label="Why reopen it", required=False, widget=NOTE, max_length=4000)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        queryset=Staff.objects.none(), label="Assign to", empty_label="Nobody"
    )
    note = forms.CharField(required=False, widget=NOTE, max_length=4000)

    def __init__(self, *args, department_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the touchpoint's department's active staff: nobody else's names are shown.
        self.fields["assigned_to"].queryset = Staff.objects.filter(
            department_id=department_id, is_active=True
        )
        self.fields["assigned_to"].required = False
