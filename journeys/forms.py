from django import forms

from .models import Journey


class JourneyForm(forms.ModelForm):
    class Meta:
        model = Journey
        fields = ["name", "kind", "state", "persona", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
