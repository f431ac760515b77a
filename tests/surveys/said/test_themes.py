"""Themes: constructed comment sets split into their known topics, with their shares; no
crash on what cannot be analysed; the nightly job fits, places and rolls up, for comments
and complaints alike."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from surveys.models import (
    Question,
    QuestionAnswer,
    QuestionKind,
    Response,
    Theme,
    ThemedAnswer,
    ThemeDay,
    ThemedComplaint,
    ThemeFit,
    ThemeSource,
)
from surveys.said.themes import find_themes, place
from surveys.said.theming import refresh_themes
from surveys.tasks import refresh_themes as refresh_themes_task
from tests.factories import ComplaintFactory, ResponseFactory, SurveyFactory, TouchpointFactory
from tests.surveys.said.comment_sets import TOPICS, comment, comment_set

MIXES = [
    {"on hold": 0.5, "call back": 0.3, "friendly installer": 0.2},
    {"on hold": 1 / 3, "call back": 1 / 3, "friendly installer": 1 / 3},
    {"on hold": 0.7, "call back": 0.2, "friendly installer": 0.1},
]


def _topic_of(theme, topics):
    """The known topic most of a theme's comments came from, and how many of them did."""
    return Counter(topics[i] for i in theme.members).most_common(1)[0]


@pytest.mark.parametrize("shares", MIXES, ids=["50-30-20", "thirds", "70-20-10"])
@pytest.mark.parametrize("total", [90, 400])
def test_three_known_topics_are_found_with_their_shares(shares, total):
    texts, topics = comment_set(shares, total, seed=total)
    themes = find_themes(texts)
    assert len(themes) == 3, [t.label for t in themes]
    found = {}
    for theme in themes:
        topic, count = _topic_of(theme, topics)
        assert count >= 0.9 * len(theme.members), f"{theme.label} mixes topics"
        found[topic] = len(theme.members) / len(texts)
    assert set(found) == set(shares)
    for topic, share in shares.items():
        assert abs(found[topic] - share) <= 0.10, (topic, found[topic], share)


def test_a_theme_is_labelled_by_its_top_terms():
    texts, topics = comment_set(MIXES[0], 200)
    labels = {_topic_of(t, topics)[0]: t.label for t in find_themes(texts)}
    assert "hold" in labels["on hold"]
    assert "back" in labels["call back"]
    assert "friendly" in labels["friendly installer"] or "installer" in labels["friendly installer"]


def test_topics_carried_by_a_vocabulary_are_found_too():
    rng = random.Random(3)
    words = {
        "wait": "hold waited minutes forever queue music ages hour answered line",
        "price": "price expensive cost cheaper quote overpriced money value fees",
        "installer": "installer friendly tidy punctual polite explained careful clean",
    }
    texts, topics = [], []
    for topic, share in (("wait", 0.5), ("price", 0.3), ("installer", 0.2)):
        for _ in range(round(300 * share)):
            texts.append(" ".join(rng.sample(words[topic].split(" "), rng.randint(2, 4))))
            topics.append(topic)
    themes = find_themes(texts)
    assert sorted(round(len(t.members) / 300, 1) for t in themes) == [0.2, 0.3, 0.5]


@pytest.mark.parametrize(
    ("texts", "languages"),
    [
        ([], ("en",)),
        (["", "   ", None], ("en",)),
        (["Fine.", "OK.", "Good"], ("en",)),
        (["ja", "nein", "ja"], ("de",)),
        (["とても良かったです", "待ち時間が長い", "とても良かったです", "待ち時間が長い"], ("ja",)),
        (["Palvelu oli hidas", "Palvelu oli nopea", "hidas palvelu", "nopea palvelu"], ("fi",)),
        (["😀😀", "!!!", "123 456", "..."], ("en",)),
    ],
)
def test_what_cannot_be_analysed_never_crashes(texts, languages):
    themes = find_themes(texts, languages)
    assert all(t.members and t.label for t in themes)
    assert place([t.usage for t in themes], ["", "anything"]) in ([None, None], [None, 0])


def test_new_comments_are_placed_by_their_anchor_words():
    texts, topics = comment_set(MIXES[1], 150)
    themes = find_themes(texts)
    topic_of = {i: _topic_of(t, topics)[0] for i, t in enumerate(themes)}
    placed = place(
        [t.usage for t in themes],
        ["on hold for an hour", "they never called back", "a friendly installer", "the weather"],
    )
    assert [topic_of.get(i) for i in placed] == ["on hold", "call back", "friendly installer", None]


# --- The job -------------------------------------------------------------------------------


def _answers(touchpoint, shares, total, days_ago=3, seed=0):
    texts, topics = comment_set(shares, total, seed)
    when = timezone.now() - dt.timedelta(days=days_ago)
    gaps = {"on hold": (7, 2), "call back": (6, 3), "friendly installer": (4, 6)}
    return [
        ResponseFactory(
            invitation__interaction__touchpoint=touchpoint,
            submitted_at=when,
            comment=text,
            expectation=gaps[topic][0],
            experience=gaps[topic][1],
            sentiment=-0.5 if topic != "friendly installer" else 0.6,
        )
        for text, topic in zip(texts, topics, strict=True)
    ]


def _label_topic(theme: Theme) -> str:
    return next(topic for topic in TOPICS if topic.split()[-1] in theme.label)


@pytest.mark.django_db
def test_the_job_fits_themes_assigns_comments_and_rolls_them_up():
    touchpoint = TouchpointFactory()
    ResponseFactory(invitation__interaction__touchpoint=touchpoint, comment="")
    _answers(touchpoint, MIXES[0], 120)
    report = refresh_themes()
    assert report.fitted == 1 and report.themes == 3
    themes = {_label_topic(t): t for t in Theme.objects.filter(touchpoint=touchpoint)}
    assert set(themes) == set(TOPICS)
    hold = themes["on hold"]
    assert Response.objects.filter(theme=hold).count() == pytest.approx(60, abs=12)
    assert not Response.objects.filter(comment="", theme__isnull=False).exists()
    day = ThemeDay.objects.get(theme=hold)
    themed = Response.objects.filter(theme=hold)
    assert day.comments == themed.count()
    assert day.sum_gap == sum(r.expectation - r.experience for r in themed)
    assert day.sum_sentiment_milli == round(sum(r.sentiment for r in themed) * 1000)


@pytest.mark.django_db
def test_between_fits_new_comments_are_placed_and_a_refit_comes_with_growth():
    touchpoint = TouchpointFactory()
    _answers(touchpoint, MIXES[1], 120)
    refresh_themes()
    before = set(Theme.objects.values_list("pk", flat=True))
    rng = random.Random(9)
    for topic in ("on hold", "call back", "on hold"):
        ResponseFactory(invitation__interaction__touchpoint=touchpoint, comment=comment(rng, topic))
    report = refresh_themes()
    assert (report.fitted, report.placed) == (0, 3)
    assert set(Theme.objects.values_list("pk", flat=True)) == before
    newest = Response.objects.order_by("-pk")[:3]
    assert {_label_topic(r.theme) for r in newest} == {"on hold", "call back"}
    assert ThemeFit.objects.get(touchpoint=touchpoint).placed_since_fit == 3

    # Past the growth threshold (25% of the 120 fitted on) the themes are refitted.
    more = _answers(touchpoint, MIXES[1], 40, seed=5)
    report = refresh_themes()
    assert report.fitted == 1
    assert not set(Theme.objects.values_list("pk", flat=True)) & before
    assert ThemeFit.objects.get(touchpoint=touchpoint).fitted_on == 120 + 3 + len(more)


@pytest.mark.django_db
def test_a_week_old_fit_is_refitted_and_a_forced_refit_always_is(settings):
    touchpoint = TouchpointFactory()
    _answers(touchpoint, MIXES[1], 60)
    refresh_themes()
    assert refresh_themes().fitted == 0  # nothing new
    assert refresh_themes(refit=True).fitted == 1
    ResponseFactory(invitation__interaction__touchpoint=touchpoint, comment="on hold again")
    later = timezone.now() + dt.timedelta(days=settings.TOUCHSTONE_THEME_REFIT_DAYS)
    assert refresh_themes(now=later).fitted == 1


@pytest.mark.django_db
def test_comments_in_several_languages_and_odd_ones_do_not_stop_the_job():
    touchpoint = TouchpointFactory()
    _answers(touchpoint, MIXES[0], 60)
    for text, language in [
        ("Die Wartezeit war viel zu lang", "de"),
        ("Die Wartezeit war zu lang", "de"),
        ("待ち時間が長い", "ja"),
        ("😀😀😀", "en"),
        ("   ", "en"),
    ]:
        ResponseFactory(
            invitation__interaction__touchpoint=touchpoint, comment=text, language=language
        )
    assert refresh_themes().themes == 3


@pytest.mark.django_db
def test_complaints_get_their_own_themes():
    touchpoint = TouchpointFactory()
    rng = random.Random(4)
    for topic in ["on hold"] * 12 + ["call back"] * 8:
        ComplaintFactory(touchpoint=touchpoint, text=comment(rng, topic))
    refresh_themes()
    themes = Theme.objects.filter(touchpoint=touchpoint, source=ThemeSource.COMPLAINTS)
    counts = {_label_topic(t): t.complaints.count() for t in themes}
    assert counts == {"on hold": 12, "call back": 8}
    assert ThemedComplaint.objects.count() == 20
    assert not Theme.objects.filter(source=ThemeSource.COMMENTS).exists()


def short_answers(touchpoint, topics, seed=5, days_ago=2):
    """Answers with a short text to a question of the survey's own, one per topic given."""
    question = Question.objects.create(
        survey=SurveyFactory(), version=1, key="why", position=1, kind=QuestionKind.TEXT,
        wording={"en": "What could we do better?"},
    )  # fmt: skip
    rng = random.Random(seed)
    when = timezone.now() - dt.timedelta(days=days_ago)
    rows = []
    for topic in topics:
        response = ResponseFactory(
            invitation__interaction__touchpoint=touchpoint, submitted_at=when, comment=""
        )
        rows.append(QuestionAnswer(response=response, question=question, text=comment(rng, topic)))
    rating = QuestionAnswer(response=rows[0].response, question=question, number=3)
    return QuestionAnswer.objects.bulk_create([*rows, rating])


@pytest.mark.django_db
def test_short_answers_get_their_own_themes_and_new_ones_are_placed():
    touchpoint = TouchpointFactory()
    short_answers(touchpoint, ["on hold"] * 12 + ["call back"] * 8)
    refresh_themes()
    themes = Theme.objects.filter(touchpoint=touchpoint, source=ThemeSource.ANSWERS)
    counts = {_label_topic(t): t.short_answers.count() for t in themes}
    assert counts == {"on hold": 12, "call back": 8}
    # A text answer is themed, a number never; comments and complaints have none here.
    assert ThemedAnswer.objects.count() == 20
    assert not ThemedAnswer.objects.filter(answer__text="").exists()
    assert set(Theme.objects.values_list("source", flat=True)) == {ThemeSource.ANSWERS}
    # The next run places the new ones in the themes found.
    new = short_answers(touchpoint, ["on hold"], seed=6)
    report = refresh_themes()
    assert report.placed == 1
    assert ThemedAnswer.objects.get(answer=new[0]).theme == next(
        t for t in themes if _label_topic(t) == "on hold"
    )


@pytest.mark.django_db
def test_the_beat_task_runs_once_at_a_time(eager_tasks):
    touchpoint = TouchpointFactory()
    _answers(touchpoint, MIXES[0], 60)
    assert refresh_themes_task.delay().get() == {"fitted": 1, "placed": 0, "themes": 3}
    from django.core.cache import cache

    cache.add("themes:refreshing", 1, timeout=60)
    try:
        assert refresh_themes_task.delay().get() == {"skipped": True}
    finally:
        cache.delete("themes:refreshing")
