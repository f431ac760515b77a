"""Surveys, the invitations that carry them, the answers, and the daily score rollups."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from touchpoints.models import Interaction, ScopedQuerySet, Staff, Touchpoint, local_day


class SurveyAudience(models.TextChoices):
    CUSTOMER = "customer", "Customers"
    PROSPECT = "prospect", "Prospects (walked away)"
    STAFF = "staff", "Staff (pulse)"


class Survey(models.Model):
    """Which measures a survey asks. Touchpoints point at the survey they use."""

    name = models.CharField(max_length=160, unique=True)
    audience = models.CharField(
        max_length=10, choices=SurveyAudience.choices, default=SurveyAudience.CUSTOMER
    )
    intro = models.TextField(blank=True, help_text="Shown above the questions.")
    asks_expectation_experience = models.BooleanField(default=True)
    asks_csat = models.BooleanField(default=True)
    asks_nps = models.BooleanField(default=True)
    asks_effort = models.BooleanField(default=True)
    asks_comment = models.BooleanField(default=True)
    languages = models.JSONField(default=list, blank=True, help_text='e.g. ["en", "de"]')
    reminder_after_days = models.PositiveSmallIntegerField(default=3)
    expires_after_days = models.PositiveSmallIntegerField(default=14)
    is_active = models.BooleanField(default=True)
    anonymous = models.BooleanField(
        default=False,
        help_text="Answers are kept without a link to the person or their interaction, with "
        "the day only: no follow-up, no segment, not in the standards' comparison.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(asks_expectation_experience=True)
                | Q(asks_csat=True)
                | Q(asks_nps=True)
                | Q(asks_effort=True)
                | Q(asks_comment=True),
                name="survey_asks_something",
            ),
        ]

    def __str__(self):
        return self.name


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class InvitationQuerySet(ScopedQuerySet):
    department_path = "interaction__touchpoint__department"

    def with_public_status(self):
        """`public_status`: the status as staff may see it. Of an anonymous survey's
        invitations only whether the email went out is shown: an answered one, and an
        expired one (which says who did not answer), read "sent"."""
        return self.annotate(
            public_status=models.Case(
                models.When(
                    survey__anonymous=True,
                    status__in=[InvitationStatus.ANSWERED, InvitationStatus.EXPIRED],
                    then=models.Value(InvitationStatus.SENT),
                ),
                default=models.F("status"),
                output_field=models.CharField(),
            )
        )


class Invitation(models.Model):
    """The outbox row for one emailed survey, written with its interaction.

    Only a SHA-256 hash of the personal link's token is stored, so a leaked database does
    not hand out working survey links.
    """

    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="invitation"
    )
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64)
    # Random input from which the link's token is derived with the server's secret (see
    # links.py): a reminder can carry the same link although the token itself is not stored.
    token_nonce = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set, and committed, just before the email goes to the SMTP server: a sender that dies
    # after this cannot know whether it arrived, so the row is not sent again.
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The local day of sent_at: the rollup day the invitation counts for.
    sent_on = models.DateField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # While SENDING, the lease of the worker sending it; an expired lease means that worker
    # died and the row may be claimed again.
    locked_until = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="invitation_token_hash_unique"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("due_at")), name="invitation_expires_after_due"
            ),
            models.CheckConstraint(
                condition=~Q(status=InvitationStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="invitation_answered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True, sent_on__isnull=True)
                | Q(sent_at__isnull=False, sent_on__isnull=False),
                name="invitation_sent_on_with_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="invitation_status_due"),
            models.Index(fields=["sent_on"], name="invitation_sent_on"),
            models.Index(fields=["status", "remind_at"], name="invitation_status_remind"),
            models.Index(fields=["status", "expires_at"], name="invitation_status_expires"),
        ]

    def __str__(self):
        return f"Invitation for {self.interaction}"

    def save(self, *args, **kwargs):
        self.sent_on = local_day(self.sent_at) if self.sent_at else None
        super().save(*args, **kwargs)


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"
    MANUAL = "manual", "Added by hand"


class SuppressedAddress(models.Model):
    """An email address that is never sent a survey, whichever customer record it is on."""

    email = models.EmailField(unique=True, help_text="Stored lower-case.")
    reason = models.CharField(max_length=12, choices=SuppressionReason.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ResponseQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Response(models.Model):
    """One customer's answers to one invitation. Score ranges are enforced by the database."""

    # One response per invitation (the one-to-one is a unique index). Null for answers
    # imported from an earlier tool, which came without an invitation.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField()
    # The local day of submitted_at: the rollup key. Stored so that aggregation is a plain
    # GROUP BY on every database; filled by save() and by every bulk path.
    day = models.DateField()
    expectation = models.PositiveSmallIntegerField(null=True, blank=True)
    experience = models.PositiveSmallIntegerField(null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")
    # The comment's sentiment, -1 to 1 (surveys/sentiment.py), set by a task after the
    # answer arrives; None: no comment, not scored yet, or a language it cannot score.
    sentiment = models.FloatField(null=True, blank=True)
    # The comment's theme (surveys/theming.py), set by the nightly theme job; None: no
    # comment, not placed yet, or a comment near no theme ("other").
    theme = models.ForeignKey(
        "Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expectation__isnull=True) | Q(expectation__range=(1, 7)),
                name="response_expectation_1_7",
            ),
            models.CheckConstraint(
                condition=Q(experience__isnull=True) | Q(experience__range=(1, 7)),
                name="response_experience_1_7",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__range=(1, 5)), name="response_csat_1_5"
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__range=(0, 10)), name="response_nps_0_10"
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__range=(1, 7)),
                name="response_effort_1_7",
            ),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "submitted_at"], name="response_tp_time"),
            models.Index(fields=["touchpoint", "day"], name="response_tp_day"),
            # The newest comments of a department, read backwards: a few rows, not months.
            models.Index(
                fields=["submitted_at", "id"],
                condition=~Q(comment=""),
                name="response_comments_by_time",
            ),
        ]

    def __str__(self):
        return f"Response on {self.touchpoint} at {self.submitted_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.day = local_day(self.submitted_at)
        super().save(*args, **kwargs)

    @property
    def gap(self):
        if self.expectation is None or self.experience is None:
            return None
        return self.expectation - self.experience

    @property
    def is_detractor(self) -> bool:
        return self.nps is not None and self.nps <= 6


class ScoreQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class ScoreSums(models.Model):
    """Counts and sums of a touchpoint's answers over a period.

    Only sums are stored, so any date range is answered by adding rows; means, gap, its
    confidence interval, CSAT %, NPS and CES are derived on read (surveys/scores.py).
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
    apart: what the trend filters read. Recomputed with the daily row of the same
    (touchpoint, day), in the same transaction, so it is exact under the same guarantees.
    Answers with no customer behind them (imported ones) count under segment "" as
    customers."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    segment = models.CharField(max_length=60, blank=True)
    is_prospect = models.BooleanField(default=False)

    class Meta:
        ordering = ["touchpoint", "day", "segment", "is_prospect"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "day", "segment", "is_prospect"],
                name="segment_score_unique",
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


class StandardAlert(models.Model):
    """A touchpoint's service standards fell below the alert threshold in one window: at
    most one per (touchpoint, window), its email claimed by notified_at before sending."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateField()
    window_end = models.DateField()
    measured = models.PositiveIntegerField()
    met = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "window_start"], name="standard_alert_once_per_window"
            ),
        ]

    def __str__(self):
        return f"{self.touchpoint}: standards met {self.percent:.0f}% from {self.window_start}"

    @property
    def percent(self) -> float:
        return 100 * self.met / self.measured if self.measured else 0.0


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


class FollowUpReason(models.TextChoices):
    DETRACTOR = "detractor", "Detractor"
    LARGE_GAP = "large_gap", "Large gap"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class FollowUpQuerySet(ScopedQuerySet):
    department_path = "response__touchpoint__department"


class FollowUp(models.Model):
    """A customer to call back, assigned to the person they already know."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    reason = models.CharField(max_length=10, choices=FollowUpReason.choices)
    assigned_to = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    status = models.CharField(
        max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the department's heads were emailed; claimed before sending, so a task run
    # twice sends one email.
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=False))
                | (~Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=True)),
                name="follow_up_closed_at_iff_done",
            ),
        ]

    def __str__(self):
        return f"Follow-up ({self.get_reason_display()}) on {self.response.touchpoint}"


class PathEnd(models.TextChoices):
    CONTINUED = "", "Went on"
    DROPPED = "dropped", "Walked away (abandoned or lost)"
    STOPPED = "stopped", "No further interaction"


class PathTransition(models.Model):
    """How customers really moved: from the touchpoint at `step` of their path to the next
    one (or out), counted per month of the step. Rebuilt from the interactions by a nightly
    job (surveys/paths.py), so the real-paths chart reads these rows only."""

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


class ThemeSource(models.TextChoices):
    COMMENTS = "comments", "Survey comments"
    COMPLAINTS = "complaints", "Complaints"


class ThemeQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Theme(models.Model):
    """A recurring topic in one touchpoint's comments or complaints (surveys/themes.py),
    refitted by the theme job; between fits, new texts are placed by its word usage."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="themes")
    source = models.CharField(max_length=12, choices=ThemeSource.choices)
    label = models.CharField(max_length=200)
    # Share of the theme's texts using each of its most used words.
    usage = models.JSONField(default=dict)
    fitted_at = models.DateTimeField()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "source", "pk"]
        indexes = [models.Index(fields=["touchpoint", "source"], name="theme_tp_source")]

    def __str__(self):
        return self.label


class ThemeFit(models.Model):
    """When one touchpoint's themes of one source were last fitted, on how many texts, and
    the newest text placed since: what the job needs to decide between placing new texts
    and refitting."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=ThemeSource.choices)
    fitted_at = models.DateTimeField()
    fitted_on = models.PositiveIntegerField()
    placed_since_fit = models.PositiveIntegerField(default=0)
    last_placed_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "source"], name="theme_fit_unique")
        ]

    def __str__(self):
        return f"Themes of {self.touchpoint_id}/{self.source} fitted {self.fitted_at:%Y-%m-%d}"


class ThemedComplaint(models.Model):
    """A complaint's theme. Complaints live in touchpoints, which knows nothing of
    surveys, so the link lives here."""

    complaint = models.OneToOneField(
        "touchpoints.Complaint", primary_key=True, on_delete=models.CASCADE, related_name="themed"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="complaints")

    def __str__(self):
        return f"{self.complaint_id}: {self.theme_id}"


class ThemeDay(models.Model):
    """Per theme and day: comments, their gap sums and sentiment sums, rebuilt by the
    theme job for the touchpoints it touched, so the dashboards read no raw answers."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    comments = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField(default=0)
    sentiment_scored = models.PositiveIntegerField(default=0)
    sum_sentiment_milli = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "day"], name="theme_day_unique")]

    def __str__(self):
        return f"{self.theme_id} on {self.day}"


class WebhookEvent(models.TextChoices):
    RESPONSE_RECEIVED = "response.received", "Response received"
    DETRACTOR = "response.detractor", "Detractor (NPS 0-6)"
    FOLLOW_UP_OPENED = "follow_up.opened", "Follow-up opened"
    STANDARD_BREACHED = "standard.breached", "Service standard breached"


class Webhook(models.Model):
    """A URL told of events as they happen (surveys/webhooks.py), each delivery signed with
    the hook's secret."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    description = models.CharField(max_length=160, blank=True)
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one hook: written in the same transaction as the event (an outbox:
    nothing is lost), sent by the worker, retried with backoff, kept as the log."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook_id} ({self.status})"
