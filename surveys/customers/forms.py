from django import forms


class EraseForm(forms.Form):
    """Erasure cannot be undone: the admin types the customer's email to confirm it."""

    confirm_email = forms.CharField(
        label="Type the customer's email to confirm", max_length=254, strip=True
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"]
        if typed.lower() != self.customer.email.lower():
            raise forms.ValidationError("This is not the customer's email.")
        return typed
