"""A touchpoint's public link, for CX managers: open, renew or close it, set its daily
cap, get its QR code (PNG, SVG, a printable A6 card), its kiosk address and its website
widget snippet, and read the answers kept aside."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from surveys.asking import qr
from surveys.asking.public_answers import close_public_link, open_public_link
from surveys.models import FALLBACK_LANGUAGE, SetAsideAnswer
from touchpoints.models import Touchpoint
from touchpoints.roles import cx_manager_required

SET_ASIDE_SHOWN = 50


class CapForm(forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = ["public_daily_cap"]
        labels = {"public_daily_cap": "Public answers counted a day, at most"}


def public_urls(touchpoint: Touchpoint) -> dict[str, str]:
    token = touchpoint.public_token
    link = settings.SITE_URL + reverse("surveys:public_answer", args=[token])
    return {
        "link": link,
        "qr": f"{link}?via=qr",
        "kiosk": settings.SITE_URL + reverse("surveys:kiosk", args=[token]),
        "widget": settings.SITE_URL + reverse("surveys:widget", args=[token]),
        # Unhashed: a company's site keeps the same address across our releases.
        "script": f"{settings.SITE_URL.rstrip('/')}/{settings.STATIC_URL.strip('/')}"
        "/widget/touchstone-widget.js",
    }


def _touchpoint(pk) -> Touchpoint:
    return get_object_or_404(Touchpoint.objects.select_related("survey", "department"), pk=pk)


@require_http_methods(["GET", "POST"])
@cx_manager_required
def public_link(request, pk):
    touchpoint = _touchpoint(pk)
    form = CapForm(request.POST or None, instance=touchpoint)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Daily cap saved.")
        return redirect("surveys:public_link", pk)
    kept_aside = SetAsideAnswer.objects.filter(touchpoint=touchpoint)
    context = {
        "touchpoint": touchpoint,
        "urls": public_urls(touchpoint) if touchpoint.public_token else None,
        "form": form,
        "kept_aside": kept_aside[:SET_ASIDE_SHOWN],
        "kept_aside_by_reason": kept_aside.values("reason").annotate(n=Count("pk")).order_by(),
    }
    status = 400 if form.is_bound else 200
    return render(request, "surveys/public_link.html", context, status=status)


@require_POST
@cx_manager_required
def public_link_change(request, pk):
    touchpoint = _touchpoint(pk)
    action = request.POST.get("action")
    if action == "open":
        if touchpoint.survey is None:
            messages.error(request, "Pick the touchpoint's survey first: the link asks it.")
        else:
            open_public_link(touchpoint)
            messages.success(request, "The public link is open.")
    elif action == "renew":
        open_public_link(touchpoint, renew=True)
        messages.success(request, "A new link: the old one and its printed codes no longer work.")
    elif action == "close":
        close_public_link(touchpoint)
        messages.success(request, "The public link is closed.")
    return redirect("surveys:public_link", pk)


def _qr_target(pk) -> tuple[Touchpoint, str]:
    touchpoint = _touchpoint(pk)
    if not touchpoint.public_token:
        raise Http404("This touchpoint has no public link.")
    return touchpoint, public_urls(touchpoint)["qr"]


# A download per format: what makes it, and its media type.
QR_FORMATS = {"png": (qr.png, "image/png"), "svg": (qr.svg, "image/svg+xml")}


@cx_manager_required
def public_link_qr(request, pk, kind):
    touchpoint, url = _qr_target(pk)
    make, media_type = QR_FORMATS[kind]
    response = HttpResponse(make(url), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{touchpoint.pk}.{kind}"'
    return response


@cx_manager_required
def public_link_card(request, pk):
    """An A6 card to print: the company, the question, the code and the address."""
    touchpoint, url = _qr_target(pk)
    context = {
        "touchpoint": touchpoint,
        "company": settings.TOUCHSTONE_COMPANY_NAME,
        "code": qr.svg_inline(url),
        "short": url.split("://", 1)[-1],
        "language": FALLBACK_LANGUAGE,
    }
    return render(request, "surveys/public_link_card.html", context)
