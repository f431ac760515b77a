"""The personal link: GET shows, POST answers once, expired and unknown links, opt-out,
validation, language, follow-ups."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.asking import links
from surveys.models import (
    FollowUp,
    Invitation,
    InvitationStatus,
    Response,
    SuppressedAddress,
    UncountedResponse,
)
from surveys.telling.notifications import notify_heads
from tests.clients import ClientByPath
from tests.factories import InvitationFactory, StaffFactory, SurveyFactory, UserFactory
from touchpoints.models import Outcome

pytestmark = pytest.mark.django_db

GOOD = {"expectation": "6", "experience": "3", "csat": "2", "nps": "9", "effort": "5"}


def sent_invitation(**kwargs):
    """A delivered invitation and the token its email carried."""
    kwargs.setdefault("status", InvitationStatus.SENT)
    kwargs.setdefault("sent_at", timezone.now())
    invitation = InvitationFactory(**kwargs)
    token = links.issue(invitation)
    invitation.expires_at = timezone.now() + dt.timedelta(days=14)
    invitation.save()
    return invitation, token


def url(token):
    return f"/s/{token}"


def test_get_shows_the_survey_and_never_uses_the_link_up(client):
    invitation, token = sent_invitation(interaction__touchpoint__name="Showroom visit")
    for _scanner in range(3):
        page = client.get(url(token))
        assert page.status_code == 200
        assert b"How was Showroom visit?" in page.content
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert client.post(url(token), GOOD).status_code == 200


def test_post_stores_the_answer_once_for_its_rollup(client):
    invitation, token = sent_invitation()
    page = client.post(url(token), {**GOOD, "comment": "Kept on hold"})
    assert page.status_code == 200 and b"Thank you" in page.content
    response = Response.objects.get()
    assert (response.expectation, response.experience, response.nps) == (6, 3, 9)
    assert response.comment == "Kept on hold" and response.invitation == invitation
    assert response.touchpoint == invitation.interaction.touchpoint
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED and invitation.answered_at
    assert UncountedResponse.objects.filter(response=response).exists()

    again = client.post(url(token), GOOD)
    assert again.status_code == 409 and b"already been answered" in again.content
    assert client.get(url(token)).status_code == 409
    assert Response.objects.count() == 1


def test_an_expired_link_gets_a_friendly_410(client):
    invitation, token = sent_invitation()
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        due_at=now - dt.timedelta(days=15), expires_at=now
    )
    for page in (client.get(url(token)), client.post(url(token), GOOD)):
        assert page.status_code == 410 and b"no longer open" in page.content
    assert not Response.objects.exists()


def test_unknown_tokens_are_404_and_throttled_per_address(client, settings):
    settings.TOUCHSTONE_LINK_MISSES_PER_IP = 3
    _invitation, token = sent_invitation()
    assert client.get(url("x" * 43)).status_code == 404
    assert client.get(url("not-a-token")).status_code == 404
    assert client.post(url("y" * 43), GOOD).status_code == 404
    blocked = client.get(url("z" * 43))
    assert blocked.status_code == 429 and blocked["Retry-After"] == "600"
    # Guesses are throttled, not owners: the real link still opens from that address.
    assert client.get(url(token)).status_code == 200
    other_address = ClientByPath(REMOTE_ADDR="10.0.0.9")
    assert other_address.get(url("z" * 43)).status_code == 404


def test_behind_trusted_proxies_each_customer_is_their_own_address(settings):
    settings.TOUCHSTONE_LINK_MISSES_PER_IP = 2
    settings.TOUCHSTONE_TRUSTED_PROXY_HOPS = 1

    def via_proxy(client_says):
        # The proxy connects from 10.0.0.2 and appends the address it was reached from.
        return ClientByPath(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_says)

    guesser = via_proxy("203.0.113.7")
    for _ in range(2):
        assert guesser.get(url("x" * 43)).status_code == 404
    assert guesser.get(url("x" * 43)).status_code == 429
    # Another customer behind the same proxy is not held up by the guesser's misses.
    assert via_proxy("198.51.100.4").get(url("x" * 43)).status_code == 404
    # A guesser writing their own X-Forwarded-For cannot move the entry the proxy appended.
    assert via_proxy("1.2.3.4, 203.0.113.7").get(url("x" * 43)).status_code == 429


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"nps": "11"}, "nps", "Select a valid choice"),
        ({"expectation": "5"}, "experience", "how it really was"),
        ({"experience": "5"}, "expectation", "what you expected"),
        ({}, None, "at least one question"),
        ({"comment": "x" * 2001}, "comment", "at most 2000 characters"),
    ],
)
def test_bad_answers_are_named_next_to_their_question(client, answers, field, message):
    invitation, token = sent_invitation()
    page = client.post(url(token), answers)
    assert page.status_code == 400 and message in page.content.decode()
    form = page.context["form"]
    assert (field in form.errors) if field else form.non_field_errors()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT


def test_only_the_measures_the_survey_enables_are_asked_and_stored(client):
    survey = SurveyFactory(asks_nps=False, asks_effort=False, asks_expectation_experience=False)
    _invitation, token = sent_invitation(survey=survey)
    page = client.get(url(token))
    assert 'name="csat"' in page.content.decode()
    assert 'name="nps"' not in page.content.decode()
    client.post(url(token), {"csat": "4", "nps": "0", "effort": "7"})
    response = Response.objects.get()
    assert (response.csat, response.nps, response.effort) == (4, None, None)


def test_the_page_speaks_the_customers_language_unless_another_is_picked(client):
    _invitation, token = sent_invitation(
        interaction__customer__language="de", interaction__touchpoint__name="Hotline"
    )
    german = client.get(url(token)).content.decode()
    assert "Wie war Hotline?" in german
    # The page says which language it is in, and the answer keeps it.
    assert '<html lang="de">' in german and 'name="lang" value="de"' in german
    assert "How was Hotline?" in client.get(url(token) + "?lang=en").content.decode()
    thanks = client.post(url(token), {**GOOD, "lang": "de"}).content.decode()
    assert '<html lang="de">' in thanks and "Vielen Dank" in thanks
    assert Response.objects.get().language == "de"


def test_the_browser_language_is_used_when_the_customers_is_not_offered(client):
    _invitation, token = sent_invitation(interaction__customer__language="pt")
    page = client.get(url(token), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert "Antwort senden" in page.content.decode()


@pytest.mark.parametrize(
    "language,send,lang",
    [("fr", "Envoyer ma réponse", "fr"), ("es", "Enviar mi respuesta", "es"),
     ("nl", "Antwoord versturen", "nl")],
)  # fmt: skip
def test_french_spanish_and_dutch_customers_read_their_own_language(client, language, send, lang):
    _invitation, token = sent_invitation(interaction__customer__language=language)
    page = client.get(url(token)).content.decode()
    assert f'<html lang="{lang}">' in page and send in page


def test_prospects_are_asked_what_made_them_go_elsewhere(client):
    _invitation, token = sent_invitation(interaction__outcome=Outcome.LOST)
    assert b"What made you go elsewhere?" in client.get(url(token)).content


def test_the_page_works_without_javascript_and_labels_every_choice(client):
    _invitation, token = sent_invitation()
    html = client.get(url(token)).content.decode()
    assert "<script" not in html
    assert html.count("<fieldset") == 5 and html.count("<legend>") == 5
    assert 'for="id_nps_0"' in html and 'id="id_nps_0"' in html
    assert '<input type="radio" name="nps" value="0" id="id_nps_0">' in html


def test_a_failed_answer_keeps_what_was_picked(client):
    _invitation, token = sent_invitation()
    page = client.post(url(token), {"expectation": "6", "nps": "9"})
    assert page.status_code == 400
    html = page.content.decode()
    assert '<input type="radio" name="nps" value="9" id="id_nps_9" checked>' in html
    assert "Please also say how it really was." in html


def test_unsubscribe_get_asks_and_one_click_post_opts_out_without_csrf():
    invitation, token = sent_invitation()
    customer = invitation.interaction.customer
    queued = InvitationFactory(interaction__customer=customer)
    client = ClientByPath(enforce_csrf_checks=True)
    page = client.get(url(token) + "/unsubscribe")
    assert page.status_code == 200 and b"Stop survey emails" in page.content
    customer.refresh_from_db()
    assert customer.opted_out_at is None

    done = client.post(url(token) + "/unsubscribe", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and done["Referrer-Policy"] == "no-referrer"
    customer.refresh_from_db()
    assert customer.opted_out_at is not None
    assert SuppressedAddress.objects.filter(email=customer.email.lower()).exists()
    queued.refresh_from_db()
    assert queued.status == InvitationStatus.CANCELLED


def test_an_answer_needs_no_cookie_and_no_csrf_token_since_the_link_is_the_proof():
    invitation, token = sent_invitation()
    client = ClientByPath(enforce_csrf_checks=True)
    page = client.get(url(token))
    assert not page.cookies and b"csrfmiddlewaretoken" not in page.content
    # What Chromium sends from a page with `Referrer-Policy: no-referrer`.
    posted = client.post(url(token), GOOD, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert posted.status_code == 200 and b"Thank you" in posted.content
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED


@pytest.mark.parametrize("path", ["", "/unsubscribe"])
def test_a_post_from_another_sites_page_is_refused_and_changes_nothing(path):
    invitation, token = sent_invitation()
    forged = ClientByPath().post(
        url(token) + path,
        GOOD,
        HTTP_ORIGIN="https://evil.example",
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert forged.status_code == 403 and "nicht gesendet" in forged.content.decode()
    assert forged["Referrer-Policy"] == "no-referrer"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.interaction.customer.opted_out_at is None


def test_a_detractor_opens_a_follow_up_for_their_own_contact_and_heads_are_told(
    client, smtp, django_capture_on_commit_callbacks
):
    agent = StaffFactory(name="Mia", email="mia@example.com")
    invitation, token = sent_invitation(
        interaction__handled_by=agent, interaction__touchpoint__name="Hotline"
    )
    department = invitation.interaction.touchpoint.department
    department.heads.add(UserFactory(username="boss", email="boss@example.com"))
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url(token), {**GOOD, "nps": "3", "comment": "Nobody called back"})
    follow_up = FollowUp.objects.get()
    assert (follow_up.reason, follow_up.assigned_to, follow_up.status) == (
        "detractor",
        agent,
        "open",
    )
    assert callbacks  # the heads' email is queued only once the answer is committed
    assert notify_heads(follow_up.pk) is True
    assert notify_heads(follow_up.pk) is False  # a task run twice emails once
    (email,) = smtp.messages
    assert "boss@example.com" in email["To"] and "mia@example.com" in email["Cc"]
    assert "Nobody called back" in email.get_content()


def test_a_large_gap_opens_a_follow_up_and_a_content_customer_does_not(client):
    _invitation, token = sent_invitation()
    client.post(url(token), {"expectation": "7", "experience": "3", "nps": "8"})
    assert FollowUp.objects.get().reason == "large_gap"
    _invitation, token = sent_invitation()
    client.post(url(token), {"expectation": "5", "experience": "6", "nps": "10"})
    assert FollowUp.objects.count() == 1


def test_a_link_loads_what_its_pages_show_in_one_query(client, django_assert_num_queries):
    """The busiest public page reads only the columns it needs, never one more by
    accident (a deferred column read in a template costs a query per customer)."""
    _invitation, token = sent_invitation()
    client.get(url(token))  # PostgreSQL: the connection prepares the statement once
    with django_assert_num_queries(1):
        assert client.get(url(token)).status_code == 200


def test_an_answer_is_the_link_with_the_hooks_and_one_statement(client, django_assert_num_queries):
    content = {"expectation": "5", "experience": "6", "nps": "9"}  # no follow-up
    _first, token = sent_invitation()
    client.post(url(token), content)  # the connection prepares the statements once
    invitation, token = sent_invitation()
    with django_assert_num_queries(2) as run:
        assert client.post(url(token), content).status_code == 200
    assert all(query["sql"].startswith("EXECUTE") for query in run.captured_queries)
    answer = Response.objects.get(invitation=invitation)
    assert UncountedResponse.objects.filter(response=answer).exists()


def test_a_detractor_writes_its_follow_up_with_the_answer(client, django_assert_num_queries):
    staff = StaffFactory()
    _first, token = sent_invitation()
    client.post(url(token), {**GOOD, "nps": "1"})  # the connection prepares the statements
    _invitation, token = sent_invitation(interaction__handled_by=staff)
    detractor = {**GOOD, "nps": "2", "comment": "Nobody called back"}
    # The link with the active webhooks; then a savepoint, the answer, the follow-up and
    # the release.
    with django_assert_num_queries(5):
        assert client.post(url(token), detractor).status_code == 200
    follow_up = FollowUp.objects.get(assigned_to=staff)
    assert follow_up.response.comment == "Nobody called back"


def test_the_thanks_page_is_the_same_for_everyone_yet_follows_its_touchpoint_and_company(
    client, settings
):
    pages = []
    for company, name in (("Acme", "Hotline"), ("Acme", "Showroom"), ("Other Co", "Hotline")):
        settings.TOUCHSTONE_COMPANY_NAME = company
        _invitation, token = sent_invitation(interaction__touchpoint__name=name)
        pages.append(client.post(url(token), GOOD).content.decode())
    assert "Acme" in pages[0] and "Hotline" in pages[0]
    assert "Showroom" in pages[1] and "Other Co" in pages[2] and "Acme" not in pages[2]


def test_unanswered_questions_are_shared_yet_follow_the_language_and_the_company(client, settings):
    settings.TOUCHSTONE_COMPANY_NAME = "Acme"
    _invitation, english = sent_invitation()
    _invitation, german = sent_invitation(interaction__customer__language="de")
    for _again in range(2):
        assert "How likely are you to recommend Acme" in client.get(url(english)).content.decode()
        page = client.get(url(german)).content.decode()
        assert "Acme" in page and "How likely" not in page
    settings.TOUCHSTONE_COMPANY_NAME = "Other Co"
    assert "How likely are you to recommend Other Co" in client.get(url(english)).content.decode()


def test_the_email_asks_the_first_scale_and_a_click_only_chooses_it(client):
    from surveys.asking.emails import survey_message

    invitation, token = sent_invitation(
        survey=SurveyFactory(asks_expectation_experience=False, asks_csat=False)
    )
    html = survey_message(invitation, token).alternatives[0][0]
    assert "How likely are you to recommend" in html
    assert f"/s/{token}?nps=0" in html and f"/s/{token}?nps=10" in html
    for _mail_scanner in range(2):
        page = client.get(url(token), {"nps": "9"})
        assert page.status_code == 200
    assert 'name="nps" value="9" id="id_nps_9" checked' in page.content.decode()
    assert client.get(url(token), {"nps": "99"}).content.decode().count(" checked") == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and not Response.objects.exists()
    assert client.post(url(token), {"nps": "9"}).status_code == 200
    assert Response.objects.get().nps == 9
