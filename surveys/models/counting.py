"""Counting: the rollups the answers and facts are folded into, the outboxes that feed
them, and the real paths counted from interactions."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from surveys.models.asking import AnswerSource, Invitation, Response
from touchpoints.models import ScopedQuerySet, Touchpoint


class ScoreQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class ScoreSums(models.Model):
    """Counts and sums of a touchpoint's answers over a period.

    Only sums are stored, so any date range is answered by adding rows; means, gap, its
    confidence interval, CSAT %, NPS and CES are derived on read (surveys/counting/scores.py).
    """

    responses = models.PositiveIntegerField(default=0)
    # The invitations sent on the day (a cohort), and of them, by now, the ones answered
    # and the ones whose link expired unanswered: the response rate's parts.
    invitations_sent = models.PositiveIntegerField(default=0)
    invitations_answered = models.PositiveIntegerField(default=0)
    invitations_expired = models.PositiveIntegerField(default=0)
    gap_answered = models.PositiveIntegerField(default=0)
    sum_expectation = models.PositiveIntegerField(default=0)
    sum_experience = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField(default=0)
    sum_gap_squared = models.PositiveIntegerField(default=0)
    csat_answered = models.PositiveIntegerField(default=0)
    csat_top2 = models.PositiveIntegerField(default=0)
    nps_answered = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    effort_answered = models.PositiveIntegerField(default=0)
    sum_effort = models.PositiveIntegerField(default=0)
    sum_effort_squared = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    # Comments with a sentiment score, and the sum of their scores in thousandths (integer
    # sums add exactly; the mean is derived on read).
    sentiment_scored = models.PositiveIntegerField(default=0)
    sum_sentiment_milli = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        abstract = True


SUM_FIELDS = [field.name for field in ScoreSums._meta.local_fields if field.name != "updated_at"]


class TouchpointDailyScore(ScoreSums):
    """One touchpoint's sums on one local day: the unit the workers recompute."""

    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="daily_scores"
    )
    day = models.DateField()

    class Meta:
        ordering = ["touchpoint", "day"]
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "day"], name="daily_score_unique_day"),
            models.CheckConstraint(
                condition=Q(csat_top2__lte=models.F("csat_answered")),
                name="daily_score_top2_within_answered",
            ),
            models.CheckConstraint(
                condition=Q(promoters__lte=models.F("nps_answered") - models.F("detractors")),
                name="daily_score_nps_groups_within_answered",
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="daily_score_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} on {self.day}"


class TouchpointMonthlyScore(ScoreSums):
    """The sum of a touchpoint's daily rows in one calendar month: long ranges read these."""

    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="monthly_scores"
    )
    month = models.DateField(help_text="The first day of the month.")

    class Meta:
        ordering = ["touchpoint", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "month"], name="monthly_score_unique_month"
            ),
        ]
        indexes = [models.Index(fields=["month", "touchpoint"], name="monthly_score_month_tp")]

    def __str__(self):
        return f"{self.touchpoint} in {self.month:%Y-%m}"


class TouchpointSegmentDailyScore(ScoreSums):
    """A touchpoint's sums on one day for one customer segment, customers and prospects
    apart, and for one source of answers (an email invitation, the public link, ...): what
    the filters of whose answers read. Recomputed with the daily row of the same
    (touchpoint, day), in the same transaction, so it is exact under the same guarantees.
    Answers with no customer behind them (imported or anonymous ones) count under segment
    "" as customers; invitations count under the email source, the only one they have."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    segment = models.CharField(max_length=60, blank=True)
    is_prospect = models.BooleanField(default=False)
    source = models.CharField(
        max_length=8, choices=AnswerSource.choices, default=AnswerSource.EMAIL
    )

    class Meta:
        ordering = ["touchpoint", "day", "segment", "is_prospect", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "day", "segment", "is_prospect", "source"],
                name="segment_source_score_unique",
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="segment_score_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} on {self.day}, {self.segment or 'no segment'}"


class StandardSums(models.Model):
    """Counts of a touchpoint's interactions against its service standards over a period.

    "Timed" standards are the wait, response and resolution targets: an interaction is
    measured when it has a fact for at least one target set, and met when it met every
    target it was measured on. First-contact resolution is counted apart, its target being
    a share. Counted against the touchpoint's current targets: changing a target
    recomputes its days.
    """

    interactions = models.PositiveIntegerField(default=0)
    timed_measured = models.PositiveIntegerField(default=0)
    timed_met = models.PositiveIntegerField(default=0)
    wait_measured = models.PositiveIntegerField(default=0)
    wait_met = models.PositiveIntegerField(default=0)
    response_measured = models.PositiveIntegerField(default=0)
    response_met = models.PositiveIntegerField(default=0)
    resolution_measured = models.PositiveIntegerField(default=0)
    resolution_met = models.PositiveIntegerField(default=0)
    fcr_measured = models.PositiveIntegerField(default=0)
    fcr_met = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


STANDARD_FIELDS = [f.name for f in StandardSums._meta.local_fields if f.name != "updated_at"]


class TouchpointDailyStandards(StandardSums):
    """One touchpoint's standard counts on one local day, recomputed with its scores."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "day"]
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "day"], name="daily_standards_unique"),
            models.CheckConstraint(
                condition=Q(timed_met__lte=models.F("timed_measured"))
                & Q(fcr_met__lte=models.F("fcr_measured")),
                name="daily_standards_met_within_measured",
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="daily_standards_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} standards on {self.day}"


class TimedStandard(models.TextChoices):
    WAIT = "wait", "Wait"
    RESPONSE = "response", "Response"
    RESOLUTION = "resolution", "Resolution"


# The answer sums that compare interactions that met a standard with those that missed it.
EFFECT_FIELDS = ["gap_answered", "sum_gap", "sum_gap_squared", "csat_answered", "csat_top2"]


class TouchpointDailyStandardEffect(models.Model):
    """Answers to interactions that met one timed standard, or missed it, on one day of a
    touchpoint: does the standard matter to customers? Keyed by the interaction's day and
    recomputed with it (an answer arriving later marks its interaction's day)."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    standard = models.CharField(max_length=10, choices=TimedStandard.choices)
    met = models.BooleanField()
    gap_answered = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField(default=0)
    sum_gap_squared = models.PositiveIntegerField(default=0)
    csat_answered = models.PositiveIntegerField(default=0)
    csat_top2 = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["touchpoint", "day", "standard", "met"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "day", "standard", "met"], name="standard_effect_unique"
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="standard_effect_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} {self.standard} {'met' if self.met else 'missed'} {self.day}"


class DirtyRollup(models.Model):
    """A (touchpoint, day) whose rollup must be recomputed: the aggregation's outbox.

    Written in the same transaction as the answer or invitation that changed the day, so a
    lost task or a broker outage loses nothing; workers claim rows, recompute, and delete
    them in one transaction. Duplicates are fine: they coalesce when claimed.
    """

    touchpoint_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"touchpoint {self.touchpoint_id} on {self.day}"


class UncountedResponse(models.Model):
    """An answer through a link not yet added to its rollups: the aggregation's other outbox.

    Written by the statement that writes the answer. A worker adds the answers it claims
    to their days' sums and deletes these rows in one transaction; recounts leave answers
    still listed here out. So each answer is counted once, by whichever comes first, and a
    busy day is not read again in full for every batch of answers.
    """

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self):
        return f"response {self.response_id}"


class UncountedInvitation(models.Model):
    """An invitation answered through its link and not yet added to its send day's count
    of answered invitations: written by the statement that claims it, drained like the
    answers. Kept apart from UncountedResponse, which would otherwise tie an anonymous
    answer to its invitation, if only until it is drained."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self):
        return f"invitation {self.invitation_id}"


class PathEnd(models.TextChoices):
    CONTINUED = "", "Went on"
    DROPPED = "dropped", "Walked away (abandoned or lost)"
    STOPPED = "stopped", "No further interaction"


class PathTransition(models.Model):
    """How customers really moved: from the touchpoint at `step` of their path to the next
    one (or out), counted per month of the step. Rebuilt from the interactions by a nightly
    job (surveys/counting/paths.py), so the real-paths chart reads these rows only."""

    month = models.DateField(help_text="The first day of the month of the step.")
    step = models.PositiveSmallIntegerField(help_text="1 for a path's first touchpoint.")
    source = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ended = models.CharField(max_length=8, choices=PathEnd.choices, blank=True, default="")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Path ends (no target) are unique by construction: the rebuild writes counts.
            models.UniqueConstraint(
                fields=["month", "step", "source", "target", "ended"],
                name="path_transition_unique",
            ),
            models.CheckConstraint(
                condition=(Q(ended="") & Q(target__isnull=False))
                | (~Q(ended="") & Q(target__isnull=True)),
                name="path_transition_target_iff_continued",
            ),
        ]
        indexes = [models.Index(fields=["month", "step"], name="path_month_step")]

    def __str__(self):
        return f"{self.month:%Y-%m} step {self.step}: {self.source_id} → {self.target_id}"


class TouchpointDailyLoop(models.Model):
    """Closing the loop: the follow-ups one touchpoint's answers of one local day opened,
    per staff member assigned (0: nobody), and what became of them. Recomputed with the
    day's scores; the waits are kept whole (sorted seconds) so that medians over any
    period are exact."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # A plain id, not a key: "nobody" must be a value of the unique key, and a row names
    # who had the follow-ups when it was counted.
    staff_id = models.IntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    # Contacted, escalated as overdue, or resolved: whether first contact came in time is
    # known (the rest are still within their due time).
    decided = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField(default=0)
    contacted_in_time = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    # Not contacted, not resolved, and escalated as overdue.
    overdue = models.PositiveIntegerField(default=0)
    contact_seconds = ArrayField(models.IntegerField(), default=list)
    resolve_seconds = ArrayField(models.IntegerField(), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "day", "staff_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "day", "staff_id"], name="daily_loop_unique"
            ),
            models.CheckConstraint(
                condition=Q(contacted_in_time__lte=models.F("contacted"))
                & Q(contacted__lte=models.F("decided"))
                & Q(decided__lte=models.F("opened"))
                & Q(resolved__lte=models.F("opened")),
                name="daily_loop_counts_within_opened",
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="daily_loop_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} follow-ups of {self.day}"


LOOP_FIELDS = [
    "opened",
    "decided",
    "contacted",
    "contacted_in_time",
    "resolved",
    "overdue",
    "contact_seconds",
    "resolve_seconds",
]


class TouchpointDailyAnswer(models.Model):
    """The answers to one of a survey's own questions, of one touchpoint on one local day
    and one source of answers (an email invitation, the public link, ...): per question
    (option 0) the answers and the sum and sum of squares of their numbers (a rating's
    points, yes as 1), and per option of a choice how often it was chosen. Recounted with
    the day's scores, from the answers as they are."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    question = models.ForeignKey("surveys.Question", on_delete=models.CASCADE, related_name="+")
    # A plain id, not a key: "the question as a whole" (0) must be a value of the unique key.
    option_id = models.IntegerField(default=0)
    source = models.CharField(
        max_length=8, choices=AnswerSource.choices, default=AnswerSource.EMAIL
    )
    n = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    squares = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "day", "question", "option_id", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "day", "question", "option_id", "source"],
                name="daily_answer_source_unique",
            ),
        ]
        indexes = [models.Index(fields=["day", "touchpoint"], name="daily_answer_day_tp")]

    def __str__(self):
        return f"{self.touchpoint} question {self.question_id} of {self.day}"


ANSWER_FIELDS = ["n", "total", "squares"]
