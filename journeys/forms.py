from django import forms

from .models import Journey, Stage


class JourneyForm(forms.ModelForm):
    class Meta:
        model = Journey
        fields = ["name", "kind", "state", "persona", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "customer_goal"]
        widgets = {
            "customer_goal": forms.TextInput(attrs={"placeholder": "What the customer wants"})
        }
