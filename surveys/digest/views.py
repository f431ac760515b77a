"""Stopping (or resuming) the weekly digest from the link in one, signed in or not. The
signed token is the proof; a GET only asks, since mail scanners follow links, and the
mail provider's one-click POST (RFC 8058) carries no CSRF token."""

from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveys.digest.weekly import user_of_token
from surveys.models import DigestOptOut


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = user_of_token(token)
    if user is None:
        raise Http404("This link is not valid.")
    if request.method == "POST":
        # A browser says when another site's page posts here; mail providers send nothing.
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return HttpResponseForbidden("Posted from another site.")
        if request.POST.get("resume"):
            DigestOptOut.objects.filter(user=user).delete()
        else:
            DigestOptOut.objects.get_or_create(user=user)
    stopped = DigestOptOut.objects.filter(user=user).exists()
    context = {"stopped": stopped, "asked": request.method == "POST", "email": user.email}
    response = render(request, "surveys/digest/unsubscribe.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
