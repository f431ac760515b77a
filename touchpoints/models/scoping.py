"""Every department-owned row is read through one scope: for_user(user)."""

from django.db import models

from touchpoints.roles import Role, role_of


class ScopedQuerySet(models.QuerySet):
    """Rows a user may read: everything for CX managers, their department's for heads.

    `department_path` names the lookup from the row to its owning department.
    """

    department_path = "department"

    def for_user(self, user):
        role = role_of(user)
        if role in (Role.ADMIN, Role.CX_MANAGER):
            return self
        if role == Role.DEPARTMENT_HEAD:
            return self.filter(**{f"{self.department_path}__heads": user}).distinct()
        return self.none()
