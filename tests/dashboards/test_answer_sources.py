"""Scores by where their answers came from (an email invitation, the public link, the QR
code, the kiosk, the widget): the scorecard, the trends and the scores API read them from
the rollups; the response rate stays the invitations', which only email has."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.asking.forms import OwnAnswer
from surveys.asking.public_answers import record_public_answer
from surveys.counting.aggregation import (
    rollups_differences,
    rollups_drain_all,
    rollups_mark_dirty,
)
from surveys.models import (
    AnswerSource,
    InvitationStatus,
    Question,
    QuestionAnswer,
    TouchpointDailyAnswer,
    TouchpointSegmentDailyScore,
)
from tests.factories import (
    CustomerFactory,
    InvitationFactory,
    ResponseFactory,
    SurveyFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(department_a):
    """A's showroom: two invited answers of four invitations sent, and public answers by
    QR code (one from a trade customer who left an email) and at the kiosk."""
    showroom = TouchpointFactory(department=department_a, name="Showroom")
    CustomerFactory(email="pro@example.com", segment="Trade")
    sent = {"sent_at": timezone.now(), "sent_on": timezone.localdate()}
    for _ in range(2):
        InvitationFactory(interaction__touchpoint=showroom, status=InvitationStatus.SENT, **sent)
    for experience in (6, 5):
        ResponseFactory(
            invitation=InvitationFactory(
                interaction__touchpoint=showroom,
                status=InvitationStatus.ANSWERED,
                answered_at=timezone.now(),
                **sent,
            ),
            expectation=6,
            experience=experience,
        )
    for source, experience, email in (
        (AnswerSource.QR, 2, "pro@example.com"),
        (AnswerSource.QR, 3, ""),
        (AnswerSource.KIOSK, 7, ""),
    ):
        answers = {"expectation": 6, "experience": experience}
        record_public_answer(showroom, source, answers, [], "en", email=email)
    rollups_drain_all()
    return showroom


def test_the_rollups_split_answers_by_source_and_equal_a_recount(answered):
    assert rollups_differences() == []
    rows = TouchpointSegmentDailyScore.objects.filter(touchpoint=answered)
    by_source = {}
    for row in rows:
        by_source.setdefault(row.source, []).append(row)
    assert {source: sum(r.responses for r in kept) for source, kept in by_source.items()} == {
        AnswerSource.EMAIL: 2, AnswerSource.QR: 2, AnswerSource.KIOSK: 1,
    }  # fmt: skip
    # The public answer that left an email counts in its customer's segment.
    assert {(r.segment, r.responses) for r in by_source[AnswerSource.QR]} == {("Trade", 1), ("", 1)}
    # Invitations are email's alone.
    assert sum(r.invitations_sent for r in rows) == sum(
        r.invitations_sent for r in by_source[AnswerSource.EMAIL]
    ) == 4  # fmt: skip


def test_the_scorecard_filters_its_scores_by_source(client_for, head_a, department_a, answered):
    url = reverse("dashboards:department", args=[department_a.pk])
    client = client_for(head_a)

    def showroom_scores(**query):
        page = client.get(url, query)
        (row,) = [row for row in page.context["rows"] if row.touchpoint == answered]
        return page, row.scores

    page, everyone = showroom_scores()
    assert everyone.gap_answered == 5 and page.context["source_shown"] == ""
    page, by_qr = showroom_scores(source="qr")
    assert (by_qr.gap_answered, by_qr.gap) == (2, pytest.approx(3.5))
    assert by_qr.response_rate is None  # no invitation is a QR code's
    assert "answers from: QR code" in page.content.decode()
    _page, by_email = showroom_scores(source="email")
    assert (by_email.gap_answered, by_email.invitations_sent) == (2, 4)
    assert by_email.response_rate == pytest.approx(50)
    # An unknown source is the field's error, and the page shows every source's.
    page, unknown = showroom_scores(source="fax")
    assert page.status_code == 200 and unknown.gap_answered == 5
    assert "source" in page.context["form"].errors


def test_the_trends_and_the_api_filter_by_source(client_for, cx_manager, answered):
    api = client_for(cx_manager)
    page = api.get("/dashboards/trends/", {"touchpoints": [answered.pk], "source": "kiosk"})
    (line,) = page.context["figure"]["data"]
    assert (line["y"], line["customdata"]) == ([-1], [1])
    rows = api.get("/api/v1/scores/", {"source": "qr"}).json()
    (showroom,) = [row for row in rows if row["id"] == answered.pk]
    assert (showroom["gap_answered"], showroom["gap"]) == (2, pytest.approx(3.5))
    refused = api.get("/api/v1/scores/", {"source": "fax"})
    assert refused.status_code == 400 and "source" in refused.json()


def test_own_questions_results_filter_by_source(
    settings, client_for, head_a, head_b, cx_manager, department_a
):
    """Two invited yeses, a no by QR code and one at the kiosk: each source's count in the
    answer rollups (equal to a recount), on the scorecard, in its CSV and in the API."""
    settings.TOUCHSTONE_MIN_SAMPLE = 1
    survey = SurveyFactory(asks_own_questions=True)
    on_time = Question.objects.create(
        survey=survey, version=1, key="q1", position=1, kind="yes_no", wording={"en": "On time?"}
    )
    van = TouchpointFactory(department=department_a, survey=survey, surveyed=True, name="Van")
    for _ in range(2):
        invited = ResponseFactory(invitation__interaction__touchpoint=van)
        QuestionAnswer.objects.create(response=invited, question=on_time, number=1)
    rollups_mark_dirty([(van.pk, timezone.localdate())])
    for source in (AnswerSource.QR, AnswerSource.KIOSK):
        no = [OwnAnswer(on_time.pk, number=0)]
        record_public_answer(van, source, {"csat": 2}, no, "en")
    rollups_drain_all()
    assert rollups_differences() == []
    counted = {row.source: row.n for row in TouchpointDailyAnswer.objects.filter(touchpoint=van)}
    assert counted == {AnswerSource.EMAIL: 2, AnswerSource.QR: 1, AnswerSource.KIOSK: 1}

    url = reverse("dashboards:department", args=[department_a.pk])
    head = client_for(head_a)

    def on_time_shown(**query):
        page = head.get(url, query)
        ((_name, result),) = page.context["own_results"]
        return result.n, result.total, page.content.decode()

    assert on_time_shown()[:2] == (4, 2)
    n, yeses, text = on_time_shown(source="qr")
    assert (n, yeses) == (1, 0) and "answers from: QR code" in text
    export = head.get(url, {"source": "email", "export": "questions"})
    assert "email" in export["Content-Disposition"]
    csv = export.content.decode()
    assert "Van,q1,1,On time?,Yes or no,yes,2,2,100," in csv

    api = client_for(cx_manager)
    (row,) = api.get("/api/v1/question-results/", {"source": "kiosk"}).json()
    assert (row["touchpoint"], row["n"]) == (van.pk, 1)
    assert len(api.get("/api/v1/question-results/").json()) == 1
    assert api.get("/api/v1/question-results/", {"source": "fax"}).status_code == 400
    assert client_for(head_b).get("/api/v1/question-results/", {"source": "qr"}).json() == []
