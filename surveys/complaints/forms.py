from django import forms
from django.utils import timezone

from surveys.models import Complaint, ComplaintSource, ComplaintStatus
from touchpoints.models import Staff, Touchpoint


class ComplaintForm(forms.Form):
    """The quick form: what, where, from whom (if known)."""

    touchpoint = forms.ModelChoiceField(queryset=Touchpoint.objects.none())
    source = forms.ChoiceField(choices=ComplaintSource.choices)
    received_at = forms.DateTimeField(
        initial=timezone.now, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="The complaint")
    customer_email = forms.EmailField(required=False)
    customer_name = forms.CharField(required=False, max_length=160)
    owner = forms.ModelChoiceField(queryset=Staff.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        readable = Touchpoint.objects.for_user(user).select_related("department")
        self.fields["touchpoint"].queryset = readable.order_by("department__name", "name")
        self.fields["owner"].queryset = Staff.objects.for_user(user).filter(is_active=True)

    def clean_received_at(self):
        received = self.cleaned_data["received_at"]
        if received > timezone.now() + timezone.timedelta(minutes=10):
            raise forms.ValidationError("A complaint cannot be received in the future.")
        return received

    def clean(self):
        data = super().clean()
        owner, touchpoint = data.get("owner"), data.get("touchpoint")
        if owner and touchpoint and owner.department_id != touchpoint.department_id:
            self.add_error("owner", f"{owner} is not in {touchpoint.department}, which owns it.")
        return data


class ComplaintUpdateForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["status", "owner", "resolution_notes"]
        widgets = {"resolution_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.instance.touchpoint.department
        self.fields["owner"].queryset = Staff.objects.filter(department=department, is_active=True)

    def clean(self):
        data = super().clean()
        notes = (data.get("resolution_notes") or "").strip()
        if data.get("status") == ComplaintStatus.RESOLVED and not notes:
            self.add_error("resolution_notes", "Say how the complaint was resolved.")
        return data
