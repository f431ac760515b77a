"""Pages for CX managers: uploading interactions, and the embedded-mode outbox."""

import email
import email.policy
import io
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from surveys.asking.delivery import deliver
from surveys.asking.interaction_import import (
    KNOWN,
    REQUIRED,
    FileRejected,
    import_interactions,
    open_rows,
)
from surveys.models import Invitation, InvitationStatus
from touchpoints.forms import bound_data
from touchpoints.roles import editor_required

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SHOWN_ERRORS = 200
OUTBOX_SHOWN = 50


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 5 MB; import it with `manage.py import_interactions`."
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text.") from error


@require_http_methods(["GET", "POST"])
@editor_required
def upload_interactions(request):
    form = UploadForm(*bound_data(request, files=True))
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_interactions(open_rows(io.StringIO(form.cleaned_data["file"])))
        except FileRejected as rejected:
            form.add_error("file", str(rejected))
    context = {
        "form": form,
        "result": result,
        "errors": result.errors[:SHOWN_ERRORS] if result else [],
        "columns": KNOWN,
        "required": REQUIRED,
    }
    status = 400 if form.errors else 200
    return render(request, "surveys/upload_interactions.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def outbox(request):
    """Embedded mode only: the emails written to var/outbox, with their survey links."""
    if not settings.DEBUG or not hasattr(settings, "EMAIL_FILE_PATH"):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "due-now":
            # Trying the loop should not mean waiting out the touchpoints' delays.
            Invitation.objects.filter(status=InvitationStatus.PENDING).update(due_at=timezone.now())
        report = deliver()
        messages.success(request, f"{report.sent} sent, {report.reminded} reminders.")
        return redirect("surveys:outbox")
    return render(request, "surveys/outbox.html", {"emails": _outbox_emails()})


_LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_-]{43}(?![/\w-])")


def _outbox_emails() -> list[dict]:
    folder = Path(settings.EMAIL_FILE_PATH)
    files = sorted(folder.glob("*.log"), key=lambda f: f.stat().st_mtime, reverse=True)
    shown = []
    for path in files[:OUTBOX_SHOWN]:
        # The file backend appends every message of one connection to one file.
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            text = message.get_body(preferencelist=("plain",))
            body = text.get_content() if text else ""
            shown.append(
                {
                    "to": message["To"],
                    "subject": message["Subject"],
                    "date": message["Date"],
                    "body": body,
                    "links": _LINK.findall(body),
                }
            )
    return shown
