"""Who a user is in Touchstone. One place decides it; everything else asks here.

- admin: a superuser.
- CX manager: a member of the "CX managers" group; edits everything.
- department head: listed as a head of one or more departments; reads what they own.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import render

CX_MANAGERS_GROUP = "CX managers"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    CX_MANAGER = "cx_manager", "CX manager"
    DEPARTMENT_HEAD = "department_head", "Department head"
    NONE = "none", "No role"


def role_of(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.NONE
    # Asked several times a request (header, querysets, permission checks): cache it on
    # the user object, which lives as long as the request.
    if not hasattr(user, "_touchstone_role"):
        user._touchstone_role = _lookup_role(user)
    return user._touchstone_role


def _lookup_role(user):
    if user.is_superuser:
        return Role.ADMIN
    if user.groups.filter(name=CX_MANAGERS_GROUP).exists():
        return Role.CX_MANAGER
    if user.headed_departments.exists():
        return Role.DEPARTMENT_HEAD
    return Role.NONE


def can_edit_maps(user):
    return role_of(user) in (Role.ADMIN, Role.CX_MANAGER)


def member_required(view):
    """Signed in and holding a role; others are sent to log in, or told they have no role."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if role_of(request.user) == Role.NONE:
            return render(request, "dashboards/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def cx_manager_required(view):
    """Only CX managers and admins: they change maps and data and read across departments.
    Heads get 403, anonymous users are sent to log in."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_edit_maps(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# Changing maps and data is the CX managers' job.
editor_required = cx_manager_required
