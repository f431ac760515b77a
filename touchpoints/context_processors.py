from django.conf import settings

from touchpoints.models import IdentityChange
from touchpoints.roles import can_edit_maps, role_of


def role(request):
    """The signed-in user's role, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = role_of(user)
    return {
        "user_role": current,
        "user_role_label": current.label,
        "user_can_edit": can_edit_maps(user),
        # The outbox page exists only in embedded mode (DEBUG, emails written to files).
        "show_outbox": settings.DEBUG and hasattr(settings, "EMAIL_FILE_PATH"),
        # Below this many answers a measure shows no figure (the pages' legends say so).
        "min_sample": settings.TOUCHSTONE_MIN_SAMPLE,
        # Counted only where the menu shows it (a template calls it).
        "pending_identity_changes": _pending_identity_changes,
    }


def _pending_identity_changes() -> int:
    return IdentityChange.objects.filter(decided_at__isnull=True).count()
