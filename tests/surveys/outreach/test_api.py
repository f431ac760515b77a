"""The action lists by API: rows with why, scoped per role; a done row records who."""

import pytest

from surveys.models import Outreach

pytestmark = pytest.mark.django_db

URL = "/api/v1/action-lists/"


def test_a_list_reads_as_the_page_does(client_for, cx_manager, staff_a, world):
    body = client_for(cx_manager).get(URL, {"list": "referral"}).json()
    assert [row["name"] for row in body["results"]] == ["Pat", "AskedLongAgo"]
    assert body["results"][0]["reason"] == "Promoter: 10/10 at Showroom"
    own = client_for(staff_a).get(URL, {"list": "at_risk"}).json()
    assert [row["name"] for row in own["results"]] == ["Dan"]
    bad = client_for(cx_manager).get(URL, {"list": "everyone"})
    assert bad.status_code == 400 and "list" in bad.json()


def test_marking_done_by_api_is_scoped(client_for, head_a, head_b, no_role_user, world):
    dan = world["Dan"]
    for customer in (dan.pk, 10**9):  # not theirs, or no one: the same answer
        refused = client_for(head_b).post(
            URL, {"list": "at_risk", "customer": customer}, content_type="application/json"
        )
        assert refused.status_code == 400
        assert refused.json() == {"customer": ["This customer is not on your list."]}
    stranger = client_for(no_role_user).post(URL, {}, content_type="application/json")
    assert stranger.status_code == 403
    assert not Outreach.objects.filter(customer=dan).exists()
    done = client_for(head_a).post(
        URL,
        {"list": "at_risk", "customer": dan.pk, "note": "Called"},
        content_type="application/json",
    )
    assert done.status_code == 201
    assert done.json()["done_by"] == head_a.pk and done.json()["kind"] == "retention"
