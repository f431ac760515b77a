"""The webhooks page: CX managers register URLs for events, see each hook's secret and its
latest deliveries, pause, resume or remove it, and send it a test."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from surveys.models import Webhook, WebhookEvent
from surveys.telling import webhooks
from surveys.telling.webhook_targets import RefusedTarget, checked_target
from touchpoints.forms import bound_data
from touchpoints.roles import cx_manager_required

DELIVERIES_SHOWN = 50


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https",
        help_text="https:// address that takes a POST: your system's, or the incoming "
        "webhook of a Slack or Teams channel.",
    )  # fmt: skip
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "format", "description", "events"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            checked_target(url)
        except RefusedTarget as refused:
            raise forms.ValidationError(str(refused)) from None
        return url


@require_http_methods(["GET", "POST"])
@cx_manager_required
def webhook_list(request):
    form = WebhookForm(*bound_data(request))
    if request.method == "POST" and form.is_valid():
        hook = form.save(commit=False)
        hook.secret, hook.created_by = webhooks.new_secret(), request.user
        hook.save()
        messages.success(request, "Webhook added. Verify deliveries with its secret.")
        return redirect("surveys:webhook", pk=hook.pk)
    context = {"form": form, "hooks": Webhook.objects.all()}
    return render(
        request, "surveys/webhooks/list.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@cx_manager_required
def webhook_detail(request, pk):
    hook = get_object_or_404(Webhook, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            hook.delete()
            messages.success(request, f"Webhook to {hook.url} removed.")
            return redirect("surveys:webhooks")
        if action in ("pause", "resume"):
            hook.is_active = action == "resume"
            hook.save(update_fields=["is_active"])
        elif action == "test":
            with transaction.atomic():
                webhooks.send_test(hook)
            messages.success(request, "A test delivery is on its way.")
        return redirect("surveys:webhook", pk=hook.pk)
    context = {"hook": hook, "deliveries": hook.deliveries.all()[:DELIVERIES_SHOWN]}
    return render(request, "surveys/webhooks/detail.html", context)
