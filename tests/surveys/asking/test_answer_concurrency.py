"""Twenty people (or one impatient thumb) posting through one link at once store one answer."""

import threading

import pytest

from surveys.models import Invitation, InvitationStatus, Response
from tests.clients import ClientByPath
from tests.surveys.asking.test_views import GOOD, sent_invitation, url

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_posts_with_one_token_store_exactly_one_response(eager_tasks):
    invitation, token = sent_invitation()
    start = threading.Barrier(20)
    statuses = []

    def submit():
        from django.db import connections

        try:
            start.wait()
            statuses.append(ClientByPath().post(url(token), GOOD).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 19
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ANSWERED
