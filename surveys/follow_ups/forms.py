"""The forms a follow-up is worked with, one per action."""

from django import forms

from surveys.models import ContactChannel, ContactOutcome
from touchpoints.models import Staff

NOTE = forms.Textarea(attrs={"rows": 3})


class ActionForm(forms.Form):
    """One of the several forms on a follow-up's page: its fields' ids carry its action, so
    no two fields on the page share an id (the posted names stay plain)."""

    action = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        super().__init__(*args, **kwargs)


class ContactForm(ActionForm):
    action = "contact"
    channel = forms.ChoiceField(choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    outcome = forms.ChoiceField(choices=ContactOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False, widget=NOTE, max_length=4000, help_text="What was said or agreed."
    )


class ResolveForm(ActionForm):
    action = "resolve"
    note = forms.CharField(label="How it was resolved", widget=NOTE, max_length=4000, strip=True)


class ReopenForm(ActionForm):
    action = "reopen"
    note = forms.CharField(label="Why reopen it", required=False, widget=NOTE, max_length=4000)


class AssignForm(ActionForm):
    action = "assign"
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
