from .roles import role_of


def role(request):
    """The signed-in user's role, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = role_of(user)
    return {"user_role": current, "user_role_label": current.label}
