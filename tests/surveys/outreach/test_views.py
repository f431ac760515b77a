"""The action lists page and its CSV, per role; marking done is a POST scoped like the
list it comes from."""

import csv
import io

import pytest

from surveys.models import Outreach, OutreachKind

pytestmark = pytest.mark.django_db


def test_each_role_reads_its_own_lists(client_for, cx_manager, head_b, staff_a, world):
    everyone = client_for(cx_manager).get("/action-lists/at_risk/").content.decode()
    assert "Walked away at Showroom (lost)" in everyone and "Complaint not resolved" in everyone
    b = client_for(head_b).get("/action-lists/at_risk/").content.decode()
    assert "Billing" in b and "Showroom" not in b
    own = client_for(staff_a).get("/action-lists/referral/").content.decode()
    assert "Promoter: 10/10 at Showroom" in own and "1 customer" in own
    assert client_for(cx_manager).get("/action-lists/").status_code == 200
    assert client_for(cx_manager).get("/action-lists/nothing/").status_code == 404


def test_strangers_have_no_lists(client_for, no_role_user, world):
    assert client_for(no_role_user).get("/action-lists/referral/").status_code == 403
    dan = world["Dan"]
    refused = client_for(no_role_user).post(f"/action-lists/at_risk/{dan.pk}/done")
    assert refused.status_code == 403
    assert not Outreach.objects.filter(customer=dan).exists()


def test_the_csv_holds_every_row_with_why(client_for, cx_manager, world):
    world["Carl"].name = "=HYPERLINK(1)"
    world["Carl"].save()
    response = client_for(cx_manager).get("/action-lists/at_risk/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["name", "email", "reference"] and len(rows) == 5
    carl = next(row for row in rows if "Complaint" in row[5])
    assert carl[0] == "'=HYPERLINK(1)"  # a formula is shown, never run


def test_marking_done_is_scoped_and_records_who(client_for, head_a, head_b, world):
    dan = world["Dan"]
    url = f"/action-lists/at_risk/{dan.pk}/done"
    refused = client_for(head_b).post(url, {"note": "Called"}, follow=True)
    assert "This customer is not on your list." in refused.content.decode()
    assert not Outreach.objects.filter(customer=dan).exists()
    done = client_for(head_a).post(url, {"note": "Called, voucher sent"})
    assert done.status_code == 302 and done.url == "/action-lists/at_risk/"
    outreach = Outreach.objects.get(customer=dan)
    assert (outreach.kind, outreach.done_by, outreach.note) == (
        OutreachKind.RETENTION,
        head_a,
        "Called, voucher sent",
    )
    assert "Dan" not in client_for(head_a).get("/action-lists/at_risk/").content.decode()


def test_a_nul_in_a_note_is_dropped_not_a_server_error(client_for, head_a, world):
    dan = world["Dan"]
    done = client_for(head_a).post(f"/action-lists/at_risk/{dan.pk}/done", {"note": "a\x00b"})
    assert done.status_code == 302
    assert Outreach.objects.get(customer=dan).note == "ab"
