from django import forms

from journeys.models import Journey, Stage


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


class JourneyImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(required=False, label="JSON file")
    text = forms.CharField(
        required=False,
        label="…or paste the JSON",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a journey is far smaller.")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip() and not self.errors:
            raise forms.ValidationError(
                "Choose a file exported from Touchstone, or paste its JSON."
            )
        return data

    def document_text(self):
        upload = self.cleaned_data.get("file")
        return upload.read() if upload else self.cleaned_data["text"]
