"""Interactions from CSV: the command, the upload page, line errors, idempotent re-import,
and the admin door."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveys.models import Invitation
from tests.factories import CustomerFactory, StaffFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Customer, Interaction

pytestmark = pytest.mark.django_db
HEADER = (
    "external_id,touchpoint,customer_email,customer_name,occurred_at,outcome,"
    "handled_by,wait_seconds"
)


@pytest.fixture
def hotline(department_a):
    StaffFactory(email="mia@example.com", department=department_a)
    return TouchpointFactory(
        name="Service hotline", department=department_a, surveyed=True, survey=SurveyFactory()
    )


def recent(hours=1):
    return (timezone.now() - dt.timedelta(hours=hours)).isoformat()


def csv_file(tmp_path, *lines, header=HEADER, name="calls.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_good_lines_are_recorded_and_bad_lines_named_by_number(tmp_path, hotline, capsys):
    path = csv_file(
        tmp_path,
        f"C1,Service hotline,ann@example.com,Ann,{recent()},resolved,mia@example.com,30",
        f"C2,Nowhere desk,bob@example.com,Bob,{recent()},resolved,,",
        f"C3,{hotline.pk},cat@example.com,Cat,{recent()},resolved,,-5",
        f"C4,Service hotline,not-an-address,Dan,{recent()},resolved,,",
        "C5,Service hotline,eve@example.com,Eve,last tuesday,maybe,,",
        f"C6,service HOTLINE,fay@example.com,Fay,{recent()},lost,,",
    )
    with pytest.raises(CommandError, match="4 line"):
        call_command("import_interactions", str(path))
    err = capsys.readouterr().err
    assert "line 3: touchpoint: unknown touchpoint 'Nowhere desk'" in err
    assert "line 4: wait_seconds: Ensure this value is greater than or equal to 0." in err
    assert "line 5: customer_email: Enter a valid email address." in err
    assert "line 6: occurred_at:" in err and "outcome:" in err
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"C1", "C6"}
    assert Interaction.objects.get(external_id="C1").handled_by.email == "mia@example.com"


def test_importing_the_same_file_again_adds_nothing(tmp_path, hotline, capsys):
    # The second line has no external_id: its content is its key.
    path = csv_file(
        tmp_path,
        f"C1,Service hotline,ann@example.com,Ann,{recent()},resolved,,",
        f",Service hotline,bob@example.com,Bob,{recent()},resolved,,",
    )
    call_command("import_interactions", str(path))
    assert "2 interaction(s) recorded" in capsys.readouterr().out
    call_command("import_interactions", str(path))
    assert "0 interaction(s) recorded, 2 already present" in capsys.readouterr().out
    assert Interaction.objects.count() == 2 and Invitation.objects.count() == 2
    assert Customer.objects.count() == 2


def test_semicolons_quotes_and_a_byte_order_mark_are_read(tmp_path, hotline):
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffexternal_id;touchpoint;customer_email;customer_name;occurred_at;outcome\n"
        f'X1;Service hotline;ann@example.com;"Meier; Ann";{recent()};resolved\n',
        encoding="utf-8",
    )
    call_command("import_interactions", str(path))
    assert Customer.objects.get().name == "Meier; Ann"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("external_id,touchpoint,occurred_at", "missing column(s): customer_email, outcome"),
        (HEADER + ",mood", "unknown column(s): mood"),
    ],
)
def test_a_bad_header_rejects_the_file(tmp_path, hotline, header, message):
    path = csv_file(tmp_path, "x,y,z", header=header)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_interactions", str(path))
    assert not Interaction.objects.exists()


def test_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_interactions", str(tmp_path / "missing.csv"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + b"\nC1,Caf\xe9,a@b.c,,2026-01-01,resolved,,\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_interactions", str(latin))


def upload(client, content: str):
    file = SimpleUploadedFile("calls.csv", content.encode(), content_type="text/csv")
    return client.post("/interactions/import/", {"file": file})


def test_the_upload_page_reports_lines_and_records_the_good_ones(client_for, cx_manager, hotline):
    client = client_for(cx_manager)
    assert client.get("/interactions/import/").status_code == 200
    page = upload(
        client,
        f"{HEADER}\nC1,Service hotline,ann@example.com,Ann,{recent()},resolved,,\n"
        f"C2,Service hotline,bob@example.com,Bob,{recent()},gone,,\n",
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>1</strong> recorded" in html
    assert "line 3: outcome: &quot;gone&quot; is not a valid choice." in html
    assert Interaction.objects.count() == 1


def test_the_upload_page_names_a_bad_header(client_for, cx_manager):
    page = upload(client_for(cx_manager), "when,who\n1,2\n")
    assert page.status_code == 400 and "missing column(s)" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("head_a", 403), ("no_role_user", 403), ("cx_manager", 200)]
)
def test_only_cx_managers_may_upload(request, client_for, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/interactions/import/").status_code == status


def test_anonymous_users_are_sent_to_log_in(client):
    page = client.get("/interactions/import/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_an_interaction_added_in_the_admin_gets_its_invitation(client_for, admin_user, hotline):
    customer = CustomerFactory()
    page = client_for(admin_user).post(
        "/admin/touchpoints/interaction/add/",
        {
            "customer": customer.pk,
            "touchpoint": hotline.pk,
            "occurred_at_0": timezone.localdate().isoformat(),
            "occurred_at_1": "00:01:00",
            "outcome": "resolved",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    assert Interaction.objects.get().invitation.survey == hotline.survey
