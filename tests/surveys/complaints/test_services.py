"""Complaints: logged from every source, worked to resolution within the standard; a
department head sees, logs and resolves only their department's."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from surveys.models import Complaint, ComplaintStatus
from tests.factories import ComplaintFactory, StaffFactory, TouchpointFactory
from touchpoints.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(department_a):
    return TouchpointFactory(name="Hotline", department=department_a)


@pytest.fixture
def showroom(department_b):
    return TouchpointFactory(name="Showroom", department=department_b)


def log(client, touchpoint, **extra):
    data = {
        "touchpoint": touchpoint.pk,
        "source": "phone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "text": "Kept on hold for 16 minutes, then cut off.",
        "customer_email": "ann@example.com",
        "customer_name": "Ann",
        **extra,
    }
    return client.post("/complaints/new/", data)


def test_a_complaint_is_logged_with_its_customer_and_worked_to_resolution(
    client_for, head_a, hotline, department_a
):
    client = client_for(head_a)
    agent = StaffFactory(department=department_a, name="Alex Reed")
    page = log(client, hotline, owner=agent.pk)
    complaint = Complaint.objects.get()
    assert page["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.customer == Customer.objects.get(email="ann@example.com")
    assert complaint.owner == agent and complaint.status == ComplaintStatus.OPEN
    url = f"/complaints/{complaint.pk}/"
    client.post(url, {"status": "in_progress", "owner": agent.pk, "resolution_notes": ""})
    refused = client.post(url, {"status": "resolved", "owner": agent.pk, "resolution_notes": " "})
    assert (
        refused.status_code == 400
        and "Say how the complaint was resolved." in refused.content.decode()
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.IN_PROGRESS and complaint.resolved_at is None
    client.post(
        url, {"status": "resolved", "owner": agent.pk, "resolution_notes": "Called back, refunded."}
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.resolved_at is not None
    client.post(
        url, {"status": "open", "owner": agent.pk, "resolution_notes": "Called back, refunded."}
    )
    complaint.refresh_from_db()
    assert complaint.resolved_at is None  # reopened


def test_bad_input_names_the_field_and_writes_nothing(client_for, head_a, hotline, department_b):
    client = client_for(head_a)
    outsider = StaffFactory(department=department_b)
    page = log(client, hotline, text="", customer_email="not-an-email", owner=outsider.pk)
    form = page.context["form"]
    assert page.status_code == 400
    assert set(form.errors) >= {"text", "customer_email", "owner"}
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert (
        "future"
        in log(client, hotline, received_at=future).context["form"].errors["received_at"][0]
    )
    assert not Complaint.objects.exists()


def test_a_head_sees_logs_and_resolves_only_their_departments(
    client_for, head_a, hotline, showroom
):
    mine, theirs = ComplaintFactory(touchpoint=hotline), ComplaintFactory(touchpoint=showroom)
    client = client_for(head_a)
    listed = client.get("/complaints/", {"status": "all"})
    assert [c.pk for c, *_ in listed.context["rows"]] == [mine.pk]
    assert client.get(f"/complaints/{theirs.pk}/").status_code == 404
    assert client.post(f"/complaints/{theirs.pk}/", {"status": "resolved"}).status_code == 404
    page = log(client, showroom)
    assert page.status_code == 400 and "touchpoint" in page.context["form"].errors
    assert Complaint.objects.count() == 2


def test_cx_managers_see_all_and_anonymous_users_log_in(client_for, cx_manager, hotline, showroom):
    ComplaintFactory(touchpoint=hotline)
    ComplaintFactory(touchpoint=showroom)
    assert len(client_for(cx_manager).get("/complaints/", {"status": "all"}).context["rows"]) == 2
    for url in ("/complaints/", "/complaints/new/", f"/complaints/{Complaint.objects.first().pk}/"):
        assert Client().get(url)["Location"].startswith("/login/")


def test_overdue_complaints_are_flagged_against_the_standard(
    client_for, cx_manager, hotline, settings
):
    settings.TOUCHSTONE_COMPLAINT_RESOLUTION_HOURS = 24
    late = ComplaintFactory(touchpoint=hotline, received_at=timezone.now() - dt.timedelta(hours=30))
    fresh = ComplaintFactory(touchpoint=hotline, received_at=timezone.now() - dt.timedelta(hours=2))
    page = client_for(cx_manager).get("/complaints/", {"overdue": "1"})
    assert [c.pk for c, *_ in page.context["rows"]] == [late.pk]
    rows = {
        c.pk: overdue
        for c, _due, overdue, _customer in client_for(cx_manager)
        .get("/complaints/")
        .context["rows"]
    }
    assert rows == {late.pk: True, fresh.pk: False}


# One moment for every item: a retry sends exactly what it sent before.
RECEIVED = timezone.now() - dt.timedelta(minutes=3)


def complaint_item(touchpoint, **extra):
    return {
        "touchpoint": touchpoint.name,
        "source": "email",
        "received_at": RECEIVED.isoformat(),
        "text": "Nobody called back.",
        "customer": {"email": "bob@example.com", "name": "Bob"},
        **extra,
    }


def test_the_api_takes_one_or_many_idempotently_and_names_bad_items(
    client_for, cx_manager, hotline
):
    client = client_for(cx_manager)
    one = client.post(
        "/api/v1/complaints/",
        complaint_item(hotline, external_id="CRM-1"),
        content_type="application/json",
    )
    assert one.status_code == 201 and one.json()["customer"]["email"] == "bob@example.com"
    again = client.post(
        "/api/v1/complaints/",
        complaint_item(hotline, external_id="CRM-1"),
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == one.json()["id"]
    batch = [
        complaint_item(hotline, external_id="CRM-2"),
        complaint_item(hotline, source="pigeon", external_id="CRM-3"),
    ]
    bad = client.post("/api/v1/complaints/", batch, content_type="application/json")
    assert bad.status_code == 400 and bad.json() == [
        {"index": 1, "source": ['"pigeon" is not a valid choice.']}
    ]
    assert Complaint.objects.count() == 1  # nothing of the bad batch was written
    anonymous = complaint_item(hotline, external_id="CRM-4", customer=None)
    assert (
        client.post("/api/v1/complaints/", anonymous, content_type="application/json").json()[
            "customer"
        ]
        is None
    )


def test_a_head_posts_and_reads_only_their_departments_complaints(
    client_for, head_a, hotline, showroom
):
    client = client_for(head_a)
    ComplaintFactory(touchpoint=showroom)
    refused = client.post(
        "/api/v1/complaints/", complaint_item(showroom), content_type="application/json"
    )
    assert refused.status_code == 400 and "unknown touchpoint" in str(refused.json()["touchpoint"])
    assert (
        client.post(
            "/api/v1/complaints/", complaint_item(hotline), content_type="application/json"
        ).status_code
        == 201
    )
    listed = client.get("/api/v1/complaints/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["touchpoint"] for row in rows] == [hotline.pk]
    assert Client().get("/api/v1/complaints/").status_code == 401


def test_the_csv_import_records_good_lines_and_reports_bad_ones(hotline, tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(
        "touchpoint,source,received_at,text,customer_email,external_id\n"
        f"Hotline,phone,{timezone.now().isoformat()},On hold for ages,ann@example.com,T-1\n"
        f"Hotline,fax,{timezone.now().isoformat()},Sent a fax,,T-2\n"
        f"Nowhere,mail,{timezone.now().isoformat()},Lost letter,,T-3\n"
        f"Hotline,mail,{timezone.now().isoformat()},Letter without a sender,,T-4\n"
    )
    with pytest.raises(CommandError) as rejected:
        call_command("import_complaints", str(path))
    assert "2 line(s) rejected" in str(rejected.value)
    assert set(Complaint.objects.values_list("external_id", flat=True)) == {"T-1", "T-4"}
    assert Complaint.objects.get(external_id="T-4").customer is None
    with pytest.raises(CommandError):
        call_command("import_complaints", str(path))
    assert Complaint.objects.count() == 2  # nothing twice
