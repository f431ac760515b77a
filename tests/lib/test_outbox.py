"""Claiming outbox rows: a sender gets only rows no other sender holds, each row once,
and marked as the caller says; retries wait twice as long each time, up to a limit."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from lib.outbox import backoff, claim
from surveys.models import Invitation, InvitationStatus
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pending(count: int) -> list[int]:
    return [
        InvitationFactory(status=InvitationStatus.PENDING, due_at=timezone.now()).pk
        for _ in range(count)
    ]


def due():
    return Invitation.objects.filter(status=InvitationStatus.PENDING)


def test_a_claim_marks_its_rows_and_counts_the_attempt():
    ids = pending(3)
    lease = timezone.now() + dt.timedelta(minutes=10)
    got = claim(
        due(),
        ["due_at", "pk"],
        2,
        status=InvitationStatus.SENDING,
        locked_until=lease,
        attempts=F("attempts") + 1,
    )
    assert got == ids[:2]
    claimed = Invitation.objects.filter(pk__in=got)
    assert {(i.status, i.locked_until, i.attempts) for i in claimed} == {
        (InvitationStatus.SENDING, lease, 1)
    }
    assert claim(due(), ["pk"], 5, status=InvitationStatus.SENDING) == ids[2:]
    assert claim(due(), ["pk"], 5, status=InvitationStatus.SENDING) == []


def test_rows_another_sender_is_claiming_are_skipped_not_waited_for():
    ids = pending(4)
    locked, release = threading.Event(), threading.Event()

    def other_sender():
        with transaction.atomic():
            list(Invitation.objects.select_for_update().filter(pk__in=ids[:2]))
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(10)
        assert claim(due(), ["pk"], 10, status=InvitationStatus.SENDING) == ids[2:]
    finally:
        release.set()
        thread.join()


def test_retries_wait_twice_as_long_each_time_up_to_the_longest():
    minute = dt.timedelta(minutes=1)
    assert [backoff(n) for n in range(1, 5)] == [minute, 2 * minute, 4 * minute, 8 * minute]
    assert backoff(0) == minute and backoff(30) == dt.timedelta(hours=6)
    assert backoff(3, first=dt.timedelta(seconds=10), longest=dt.timedelta(seconds=30)) == (
        dt.timedelta(seconds=30)
    )
