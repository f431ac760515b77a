"""Who a user is in Touchstone. One place decides it; everything else asks here.

- admin: a superuser.
- CX manager: a member of the "CX managers" group; edits everything.
- department head: listed as a head of one or more departments; reads what they own.
- staff: a front-line staff member signed in through their Staff record; sees only their
  own follow-ups, their own interactions' answers and their own scores.

Deny by default: the pages and API of the first three ("members") are closed to staff
unless a view says staff may come (staff_or_member_required).
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
    STAFF = "staff", "Staff"
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
    # The reverse one-to-one raises (an AttributeError) when the user has no Staff record.
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.is_active:
        return Role.STAFF
    return Role.NONE


MEMBER_ROLES = (Role.ADMIN, Role.CX_MANAGER, Role.DEPARTMENT_HEAD)


def is_member(user) -> bool:
    """Admins, CX managers and heads: the people who read maps and scores."""
    return role_of(user) in MEMBER_ROLES


def staff_of(user):
    """The Staff record of a signed-in staff member, else None."""
    return user.staff_profile if role_of(user) == Role.STAFF else None


def can_edit_maps(user):
    return role_of(user) in (Role.ADMIN, Role.CX_MANAGER)


def _requiring(admitted):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if role_of(request.user) not in admitted:
                return render(request, "dashboards/no_role.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Signed in as a member; others are sent to log in, or told the page is not theirs.
member_required = _requiring(MEMBER_ROLES)
# The pages front-line staff use too; what each sees is scoped by for_user.
staff_or_member_required = _requiring((*MEMBER_ROLES, Role.STAFF))


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
