"""A survey's own questions, beside the core measures, and the answers to them.

Questions belong to one version of their survey. Once a version has answers its questions
are never changed or deleted: editing the survey makes the next version, so every answer
keeps the question it was asked. Wording is kept per language ({"en": ..., "de": ...});
a language without it is shown the English."""

from django.db import models
from django.db.models import Q

from surveys.models.asking import Response, Survey

FALLBACK_LANGUAGE = "en"
SCALE_POINTS = (2, 11)  # a rating has 2 to 11 points
MAX_OPTIONS = 20


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating scale"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Short text"


class BranchTest(models.TextChoices):
    AT_MOST = "lte", "is at most"
    AT_LEAST = "gte", "is at least"
    IS = "is", "is"


def in_language(wording: dict, language: str) -> tuple[str, bool]:
    """The text in `language`, or the English and True when it has none there."""
    text = (wording or {}).get(language)
    if text:
        return text, False
    return (wording or {}).get(FALLBACK_LANGUAGE, ""), language != FALLBACK_LANGUAGE


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    version = models.PositiveIntegerField()
    # Stable within the survey across versions ("q1", "q2"...): branches and results use it.
    key = models.SlugField(max_length=20)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(default=False)
    wording = models.JSONField(default=dict)
    scale_points = models.PositiveSmallIntegerField(null=True, blank=True)
    low_label = models.JSONField(default=dict, blank=True)
    high_label = models.JSONField(default=dict, blank=True)
    # Shown only when an earlier answer passes the test: a core measure ("experience") or
    # an earlier question's key; the value is a number, an option key, or "yes"/"no".
    show_if = models.CharField(max_length=20, blank=True)
    show_if_test = models.CharField(max_length=3, choices=BranchTest.choices, blank=True)
    show_if_value = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["survey", "version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "version", "key"], name="question_key_once_a_version"
            ),
            models.CheckConstraint(
                condition=~Q(kind="rating")
                | Q(scale_points__gte=SCALE_POINTS[0], scale_points__lte=SCALE_POINTS[1]),
                name="question_rating_points",
            ),
        ]

    def __str__(self):
        return f"{self.survey} v{self.version} {self.key}: {in_language(self.wording, 'en')[0]}"


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=20)  # "o1", "o2"... within the question
    position = models.PositiveSmallIntegerField()
    wording = models.JSONField(default=dict)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_once"),
        ]

    def __str__(self):
        return in_language(self.wording, FALLBACK_LANGUAGE)[0]


class QuestionAnswer(models.Model):
    """One answer to one question: a number (rating, yes = 1 / no = 0), a chosen option
    (one row per option chosen) or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: a question that has answers is never deleted (a new version is made).
    # Every answer writes a row per question: no index beyond the ones below.
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers",
        db_index=False,  # answer_question_option leads with it
    )  # fmt: skip
    option = models.ForeignKey(
        QuestionOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,  # answer_option_chosen
    )  # fmt: skip
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["question", "option"], name="answer_question_option"),
            # An option's answers, for its PROTECT check: most rows choose none.
            models.Index(
                fields=["option"], condition=Q(option__isnull=False), name="answer_option_chosen"
            ),
        ]

    def __str__(self):
        return f"{self.question.key} of response {self.response_id}"
