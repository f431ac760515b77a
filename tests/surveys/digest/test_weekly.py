"""The weekly digest through a real SMTP server: each head gets their own week once, in
HTML and plain text, with arrows only where the gap changed significantly; a refused email
is sent on the retry; the link in it stops (and resumes) the digest."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from surveys.counting.aggregation import rollups_rebuild_all
from surveys.digest.weekly import (
    last_week,
    send_weekly_digests,
    unsubscribe_token,
    user_of_token,
)
from surveys.models import DigestOptOut, DigestSent, StandardAlert
from tests.factories import (
    ComplaintFactory,
    FollowUpFactory,
    ResponseFactory,
    TouchpointFactory,
)
from tests.smtp import body_of

pytestmark = pytest.mark.django_db

MONDAY = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())


def at(day, hour=12):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def weeks(settings, department_a, department_b, head_a, head_b):
    """Department A's showroom got much better last week; B had one complaint."""
    settings.TOUCHSTONE_MIN_SAMPLE = 10
    rng = random.Random(5)
    for head, address in ((head_a, "ann.head@example.com"), (head_b, "bo.head@example.com")):
        head.email, head.first_name = address, address.split(".")[0].title()
        head.save()
    showroom = TouchpointFactory(name="Showroom", department=department_a)
    week = last_week(MONDAY)
    for index in range(20):
        for day, experience in (
            (week.since - dt.timedelta(days=4), 2),
            (week.since + dt.timedelta(days=2), 6),
        ):
            ResponseFactory(
                invitation__interaction__touchpoint=showroom,
                submitted_at=at(day, 9 + index % 8),
                expectation=6,
                experience=max(1, min(7, experience + rng.choice([-1, 0, 1]))),
            )
    FollowUpFactory(
        response=ResponseFactory(invitation__interaction__touchpoint=showroom, nps=1),
        due_at=timezone.now() - dt.timedelta(hours=5),
    )
    ComplaintFactory(touchpoint=showroom, received_at=at(week.since + dt.timedelta(days=1)),
                     text="The showroom was closed at noon.")  # fmt: skip
    ComplaintFactory(touchpoint=TouchpointFactory(name="Billing", department=department_b),
                     received_at=at(week.since), text="Charged twice.")  # fmt: skip
    StandardAlert.objects.create(
        touchpoint=showroom, window_start=week.since, window_end=week.until, measured=40, met=20
    )
    rollups_rebuild_all()
    return showroom


def test_each_head_gets_their_own_week_once_in_html_and_text(smtp, weeks, head_a):
    assert send_weekly_digests(today=MONDAY) == 2
    (mail,) = smtp.to("ann.head@example.com")
    text, html = body_of(mail), body_of(mail, "html")
    for body in (text, html):
        assert "Showroom" in body and "▲ better" in body
        assert "The showroom was closed at noon." in body
        assert "Charged twice." not in body  # department B's
        assert "20 of 40 met (50%)" in body
    assert "FOLLOW-UPS OVERDUE NOW: 1" in text
    assert "COMPLAINTS: 1 received, 1 not resolved" in text
    showroom = text.replace("\r\n", "\n").split("- Showroom (", 1)[1].split("\n\n", 1)[0]
    assert "▲ better than the week before (gap 4.25)" in showroom
    assert "gap 0.05 (± 0.39 · n 20)" in showroom
    # The token is signed with a timestamp, so read it from the header, not remade here.
    link = mail["List-Unsubscribe"].strip(" <>")
    assert user_of_token(link.split("/digest/stop/", 1)[1]) == head_a
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (other,) = smtp.to("bo.head@example.com")
    assert "Charged twice." in body_of(other) and "Showroom" not in body_of(other)

    assert send_weekly_digests(today=MONDAY) == 0  # once a week, whatever the runs
    assert len(smtp.messages) == 2


def test_a_refused_email_is_sent_on_the_retry_and_the_others_go_now(smtp, weeks, head_a):
    smtp.refused.add("ann.head@example.com")
    with pytest.raises(OSError):
        send_weekly_digests(today=MONDAY)
    assert [m["To"] for m in smtp.messages] == ["bo.head@example.com"]
    assert not DigestSent.objects.filter(user=head_a).exists()
    smtp.refused.clear()
    assert send_weekly_digests(today=MONDAY) == 1
    assert len(smtp.to("ann.head@example.com")) == 1


def test_the_link_stops_and_resumes_the_digest(client, smtp, weeks, head_a):
    url = f"/digest/stop/{unsubscribe_token(head_a)}"
    asked = client.get(url)
    assert asked.status_code == 200 and "Stop the weekly digest" in asked.content.decode()
    assert not DigestOptOut.objects.exists()  # a GET (a mail scanner) changes nothing
    one_click = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "no weekly digest goes to ann.head@example.com" in one_click.content.decode()
    assert send_weekly_digests(today=MONDAY) == 1  # B's head only
    client.post(url, {"resume": "1"})
    assert send_weekly_digests(today=MONDAY + dt.timedelta(days=7)) == 2
    assert client.get("/digest/stop/forged").status_code == 404
    cross = client.post(url, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_a_link_signed_for_something_else_is_not_a_link(client, weeks):
    from django.core import signing

    from surveys.digest.weekly import UNSUBSCRIBE_SALT

    odd = signing.dumps([1, 2], salt=UNSUBSCRIBE_SALT)
    assert client.get(f"/digest/stop/{odd}").status_code == 404
