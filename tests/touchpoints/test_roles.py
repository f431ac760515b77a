import pytest

from tests.factories import InteractionFactory, TouchpointFactory, UserFactory
from touchpoints.models import Department, Interaction, Touchpoint
from touchpoints.roles import Role, can_edit_maps, role_of

pytestmark = pytest.mark.django_db


def test_roles_are_read_from_group_department_and_superuser_flag(
    cx_manager, head_a, no_role_user, admin_user
):
    assert role_of(cx_manager) == Role.CX_MANAGER
    assert role_of(head_a) == Role.DEPARTMENT_HEAD
    assert role_of(no_role_user) == Role.NONE
    assert role_of(admin_user) == Role.ADMIN


def test_inactive_user_has_no_role(cx_manager):
    cx_manager.is_active = False
    assert role_of(cx_manager) == Role.NONE


def test_only_cx_managers_and_admins_edit_maps(cx_manager, head_a, admin_user, no_role_user):
    assert can_edit_maps(cx_manager)
    assert can_edit_maps(admin_user)
    assert not can_edit_maps(head_a)
    assert not can_edit_maps(no_role_user)


def test_department_head_sees_only_own_touchpoints_and_interactions(
    head_a, department_a, department_b
):
    own = TouchpointFactory(department=department_a)
    other = TouchpointFactory(department=department_b)
    InteractionFactory(touchpoint=own)
    InteractionFactory(touchpoint=other)
    assert list(Touchpoint.objects.for_user(head_a)) == [own]
    assert [i.touchpoint for i in Interaction.objects.for_user(head_a)] == [own]
    assert list(Department.objects.for_user(head_a)) == [department_a]


def test_cx_manager_sees_every_department(cx_manager, department_a, department_b):
    assert set(Department.objects.for_user(cx_manager)) == {department_a, department_b}


def test_head_of_two_departments_sees_both_without_duplicates(department_a, department_b):
    head = UserFactory(username="two-hats")
    department_a.heads.add(head)
    department_b.heads.add(head)
    TouchpointFactory(department=department_a)
    TouchpointFactory(department=department_b)
    assert Touchpoint.objects.for_user(head).count() == 2


def test_user_without_role_sees_nothing(no_role_user, department_a):
    TouchpointFactory(department=department_a)
    assert not Touchpoint.objects.for_user(no_role_user).exists()
    assert not Department.objects.for_user(no_role_user).exists()
