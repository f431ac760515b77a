"""The API tokens page: every user makes and revokes their own keys for the REST API."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from touchpoints.api_tokens import make_token, revoke
from touchpoints.forms import bound_data
from touchpoints.models import ApiToken, TokenScope
from touchpoints.roles import can_edit_maps, member_required


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, e.g. the shop tills.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.FULL)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit_maps(user):  # integration keys send data in: CX managers make them
            self.fields["scope"].choices = [(TokenScope.FULL, TokenScope.FULL.label)]


@require_http_methods(["GET", "POST"])
@member_required
def token_list(request):
    form = TokenForm(*bound_data(request), user=request.user)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = make_token(
            request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
        )
        form = TokenForm(user=request.user)
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_key": new_key,
    }
    return render(
        request, "touchpoints/api_tokens.html", context, status=400 if form.errors else 200
    )


@require_POST
@member_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # others' tokens: 404
    revoke(token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("touchpoints:api_tokens")
