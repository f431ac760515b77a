"""The follow-up pages by role: staff see and work only their own, heads their department's
(and assign within it), CX managers all; outsiders get a 404; every action is a POST that
redirects, a bad one shows its error beside its field."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import FollowUpStatus
from tests.factories import FollowUpFactory, ResponseFactory, StaffFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(department_a, department_b, staff_a):
    """Sam's follow-up, a colleague's in the same department, and one of department B."""
    sam = staff_a.staff_profile
    touchpoint_a = TouchpointFactory(department=department_a, name="Hotline")
    colleague = StaffFactory(department=department_a, name="Noor")
    touchpoint_b = TouchpointFactory(department=department_b, name="Showroom")
    return {
        "mine": FollowUpFactory(
            response__invitation__interaction__touchpoint=touchpoint_a,
            response__invitation__interaction__handled_by=sam,
            response__invitation__interaction__customer__name="Ada Byron",
            response__comment="Nobody called back",
            assigned_to=sam,
        ),
        "colleagues": FollowUpFactory(
            response__invitation__interaction__touchpoint=touchpoint_a,
            response__invitation__interaction__customer__name="Grace Colleague",
            assigned_to=colleague,
        ),
        "other_department": FollowUpFactory(
            response__invitation__interaction__touchpoint=touchpoint_b,
            response__invitation__interaction__customer__name="Linus Other",
        ),
        "colleague": colleague,
    }


def _listed(page):
    body = page.content.decode()
    return {name for name in ("Ada Byron", "Grace Colleague", "Linus Other") if name in body}


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        ("staff_a", {"Ada Byron"}),
        ("head_a", {"Ada Byron", "Grace Colleague"}),
        ("head_b", {"Linus Other"}),
        ("cx_manager", {"Ada Byron", "Grace Colleague", "Linus Other"}),
    ],
)
def test_each_role_lists_the_follow_ups_it_works(request, client_for, desk, role, listed):
    client = client_for(request.getfixturevalue(role))
    page = client.get("/follow-ups/")
    assert page.status_code == 200
    assert _listed(page) == listed
    for key, follow_up in desk.items():
        if key == "colleague":
            continue
        shown = client.get(f"/follow-ups/{follow_up.pk}/")
        name = follow_up.response.invitation.interaction.customer.name
        assert shown.status_code == (200 if name in listed else 404)


def test_nobody_without_a_role_gets_in(client_for, no_role_user, desk):
    page = client_for(None).get("/follow-ups/")
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert client_for(no_role_user).get("/follow-ups/").status_code == 403


def test_staff_log_a_call_and_resolve_their_own_follow_up(client_for, staff_a, desk):
    client = client_for(staff_a)
    mine = desk["mine"]
    page = client.get(f"/follow-ups/{mine.pk}/")
    assert b"Nobody called back" in page.content and b"Log contact" in page.content
    assert b"Assign to" not in page.content  # the board is the heads'
    logged = client.post(
        f"/follow-ups/{mine.pk}/contact",
        {"channel": "phone", "outcome": "reached", "note": "Apologised"},
    )
    assert logged.status_code == 302 and logged["Location"] == f"/follow-ups/{mine.pk}/"
    resolved = client.post(f"/follow-ups/{mine.pk}/resolve", {"note": "Voucher sent"})
    assert resolved.status_code == 302
    mine.refresh_from_db()
    assert mine.status == FollowUpStatus.DONE and mine.first_contact_at is not None
    assert [e.by for e in mine.events.all()] == [staff_a, staff_a]
    history = client.get(f"/follow-ups/{mine.pk}/").content.decode()
    assert "Phone: reached" in history and "Voucher sent" in history and "in time" in history


def test_staff_cannot_touch_a_colleagues_follow_up_nor_reassign_their_own(
    client_for, staff_a, desk
):
    client = client_for(staff_a)
    theirs = desk["colleagues"]
    for action, data in (
        ("contact", {"channel": "phone", "outcome": "reached"}),
        ("resolve", {"note": "x"}),
        ("assign", {"assigned_to": desk["colleague"].pk}),
    ):
        assert client.post(f"/follow-ups/{theirs.pk}/{action}", data).status_code == 404
    refused = client.post(
        f"/follow-ups/{desk['mine'].pk}/assign", {"assigned_to": desk["colleague"].pk}, follow=True
    )
    assert b"Only the department&#x27;s heads" in refused.content
    theirs.refresh_from_db()
    desk["mine"].refresh_from_db()
    assert theirs.status == FollowUpStatus.OPEN and not theirs.events.exists()
    assert desk["mine"].assigned_to == staff_a.staff_profile


def test_a_head_reassigns_within_the_department_only(client_for, head_a, head_b, desk):
    client = client_for(head_a)
    mine = desk["mine"]
    page = client.get(f"/follow-ups/{mine.pk}/").content.decode()
    assert "Noor" in page
    outsider = StaffFactory(department=desk["other_department"].response.touchpoint.department)
    assert outsider.name not in page  # another department's people are not offered
    refused = client.post(f"/follow-ups/{mine.pk}/assign", {"assigned_to": outsider.pk})
    assert refused.status_code == 400
    assert b"Select a valid choice" in refused.content
    assert (
        client.post(
            f"/follow-ups/{mine.pk}/assign", {"assigned_to": desk["colleague"].pk}
        ).status_code
        == 302
    )
    mine.refresh_from_db()
    assert mine.assigned_to == desk["colleague"]
    # Head B cannot reach department A's follow-up at all.
    assert (
        client_for(head_b).post(f"/follow-ups/{mine.pk}/assign", {"assigned_to": ""}).status_code
        == 404
    )


def test_a_bad_action_shows_its_error_beside_the_field(client_for, staff_a, desk):
    page = client_for(staff_a).post(f"/follow-ups/{desk['mine'].pk}/contact", {"channel": "fax"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "Select a valid choice" in body and "This field is required" in body
    assert not desk["mine"].events.exists()


def test_heads_see_overdue_ones_first_and_filter_them(client_for, head_a, desk):
    late = desk["colleagues"]
    late.due_at = timezone.now() - dt.timedelta(hours=2)
    late.save(update_fields=["due_at"])
    page = client_for(head_a).get("/follow-ups/", {"show": "overdue"})
    assert _listed(page) == {"Grace Colleague"}
    assert "1 overdue" in page.content.decode()


def test_staff_pages_are_closed_to_members_pages(client_for, staff_a, desk):
    client = client_for(staff_a)
    assert client.get("/").url == "/my-work/"
    for path in (
        "/journeys/",
        "/touchpoints/",
        "/complaints/",
        "/dashboards/priorities/",
        "/touchpoints/staff/",
        "/webhooks/",
        "/touchpoints/api-tokens/",
    ):
        page = client.get(path)
        assert page.status_code == 403, path
        assert b"My work" in page.content


def test_my_work_shows_my_scores_only_above_the_minimum_and_my_customers_words(
    client_for, staff_a, desk, settings
):
    settings.TOUCHSTONE_MIN_SAMPLE = 3
    sam = staff_a.staff_profile
    touchpoint = desk["mine"].response.touchpoint
    page = client_for(staff_a).get("/my-work/").content.decode()
    assert "not enough data" in page and "Nobody called back" in page
    for _ in range(2):
        ResponseFactory(
            invitation__interaction__handled_by=sam,
            invitation__interaction__touchpoint=touchpoint,
            expectation=6,
            experience=5,
        )
    ResponseFactory(invitation__interaction__touchpoint=touchpoint, comment="Someone else's")
    page = client_for(staff_a).get("/my-work/").content.decode()
    # Three answers of Sam's (6-4, 6-5, 6-5): gap 1.33; the colleague's answer is not in it.
    assert "1.33" in page and "n 3" in page
    assert "Someone else" not in page
