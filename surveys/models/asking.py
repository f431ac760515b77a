"""Asking: surveys, the invitations that carry them, and the answers."""

from django.db import models
from django.db.models import Q

from touchpoints.models import Interaction, ScopedQuerySet, Touchpoint, local_day
from touchpoints.roles import Role, role_of


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
    # Its questions' current version (surveys/models/questions.py): a new one is made when
    # questions that have answers are edited.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Whether that version has questions: the survey page reads them only then.
    asks_own_questions = models.BooleanField(default=False, editable=False)
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
                | Q(asks_comment=True)
                | Q(asks_own_questions=True),
                name="survey_asks_something",
            ),
        ]

    def __str__(self):
        return self.name

    def current_questions(self) -> list:
        """Its own questions of the current version, with their options. A survey without
        any costs nothing: not even a query built (the survey page asks this every time)."""
        if not self.asks_own_questions:
            return []
        return list(self.questions.filter(version=self.version).prefetch_related("options"))


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


class AnswerSource(models.TextChoices):
    EMAIL = "email", "Email invitation"
    LINK = "link", "Public link"
    QR = "qr", "QR code"
    KIOSK = "kiosk", "Kiosk"
    WIDGET = "widget", "Website widget"


PUBLIC_SOURCES = (AnswerSource.LINK, AnswerSource.QR, AnswerSource.KIOSK, AnswerSource.WIDGET)


class ResponseQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"

    def for_user(self, user):
        # Front-line staff read the answers to their own interactions.
        if role_of(user) == Role.STAFF:
            return self.filter(invitation__interaction__handled_by__user=user)
        return super().for_user(user)


class Response(models.Model):
    """One customer's answers to one invitation. Score ranges are enforced by the database."""

    # One response per invitation (the one-to-one is a unique index). Null for answers
    # imported from an earlier tool, which came without an invitation.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="responses")
    # Where it was answered: through an invitation's email, or at the touchpoint.
    source = models.CharField(
        max_length=8, choices=AnswerSource.choices, default=AnswerSource.EMAIL, db_default="email"
    )
    # A public answer's person, when they left their email and agreed to be contacted.
    customer = models.ForeignKey(
        "touchpoints.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_answers",
        db_index=False,  # a partial index below: most answers have none, and pay nothing
    )
    contact_consent_at = models.DateTimeField(null=True, blank=True)
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
    # The comment's sentiment, -1 to 1 (surveys/said/sentiment.py), set by a task after the
    # answer arrives; None: no comment, not scored yet, or a language it cannot score.
    sentiment = models.FloatField(null=True, blank=True)
    # The comment's theme (surveys/said/theming.py), set by the nightly theme job; None: no
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
            models.Index(
                fields=["customer"],
                condition=Q(customer__isnull=False),
                name="response_public_customer",
            ),
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
