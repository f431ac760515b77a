"""The organisation and its facts: who owns which interaction point, and what happened there.

This app is the ground floor: it imports no other app of the project. The one reference
upward, Touchpoint.survey, is a lazy foreign key by name, so no Python import is needed.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from .roles import Role, role_of


def local_day(moment, zone=None):
    """The day a moment falls on in the site's time zone: how facts and answers are bucketed.
    A caller bucketing many passes the zone, read once."""
    return timezone.localtime(moment, zone).date()


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB = "web", "Website"
    CHAT = "chat", "Chat"
    MOBILE_APP = "mobile_app", "Mobile app"
    STORE = "store", "Store"
    FIELD_VISIT = "field_visit", "Field visit"
    MAIL = "mail", "Mail"
    SOCIAL = "social", "Social media"


class Audience(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    EMPLOYEE = "employee", "Employee"


class ScopedQuerySet(models.QuerySet):
    """Rows a user may read: everything for CX managers, their department's for heads.

    `department_path` names the lookup from the row to its owning department.
    """

    department_path = "department"

    def for_user(self, user):
        role = role_of(user)
        if role in (Role.ADMIN, Role.CX_MANAGER):
            return self
        if role == Role.DEPARTMENT_HEAD:
            return self.filter(**{f"{self.department_path}__heads": user}).distinct()
        return self.none()


class DepartmentQuerySet(ScopedQuerySet):
    department_path = "pk"

    def for_user(self, user):
        if role_of(user) == Role.DEPARTMENT_HEAD:
            return self.filter(heads=user)
        return super().for_user(user)


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    colour = models.CharField(
        max_length=7,
        default="#4f46e5",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #4f46e5.")],
        help_text="Hex colour of its cards on the map.",
    )
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="headed_departments"
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Staff(models.Model):
    name = models.CharField(max_length=120)
    email = models.EmailField()
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_profile",
    )
    is_active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "staff"
        constraints = [
            models.UniqueConstraint(fields=["email"], name="staff_email_unique"),
        ]

    def __str__(self):
        return self.name


class Touchpoint(models.Model):
    """A real interaction point of the company, with its owner, standards and survey policy.

    Service-standard targets are optional: an empty target means "no standard set".
    """

    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="touchpoints")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.CUSTOMER)
    supports = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supported_by",
        help_text="For an employee-side touchpoint: the customer touchpoints it supports.",
    )

    # Service standards
    target_wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    target_first_contact_resolution = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Share of interactions resolved at first contact, in %."
    )
    effort_estimate = models.PositiveSmallIntegerField(
        default=3, help_text="Cost of improving this touchpoint, 1 (trivial) to 5 (major)."
    )

    # Survey policy
    surveyed = models.BooleanField(default=False)
    survey = models.ForeignKey(
        "surveys.Survey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touchpoints",
    )
    survey_delay = models.DurationField(
        default=None, null=True, blank=True, help_text="Wait this long after the interaction."
    )
    survey_cap_days = models.PositiveSmallIntegerField(
        default=30, help_text="At most one invitation per customer per this many days."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="touchpoint_name_unique_per_department"
            ),
            models.CheckConstraint(
                condition=Q(effort_estimate__gte=1, effort_estimate__lte=5),
                name="touchpoint_effort_estimate_1_5",
            ),
            models.CheckConstraint(
                condition=Q(target_first_contact_resolution__isnull=True)
                | Q(target_first_contact_resolution__lte=100),
                name="touchpoint_fcr_target_percent",
            ),
            models.CheckConstraint(
                condition=Q(surveyed=False) | Q(survey__isnull=False),
                name="touchpoint_surveyed_has_survey",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def standards(self) -> list[str]:
        """The service standards set, as short labels for cards and tables."""
        times = (
            ("Wait", self.target_wait_seconds),
            ("Response", self.target_response_seconds),
            ("Resolution", self.target_resolution_seconds),
        )
        labels = [f"{name} ≤ {short_duration(seconds)}" for name, seconds in times if seconds]
        if self.target_first_contact_resolution is not None:
            labels.append(f"First-contact resolution ≥ {self.target_first_contact_resolution}%")
        return labels


def short_duration(seconds: int) -> str:
    """45 s, 2 min, 1.5 h, 2 d: a target as people say it."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds} s"


class CustomerQuerySet(ScopedQuerySet):
    # Customers belong to no department: a head reads those who met its touchpoints.
    department_path = "interactions__touchpoint__department"


class Customer(models.Model):
    email = models.EmailField()  # found by UPPER(email): see customer_email_upper
    name = models.CharField(max_length=160, blank=True)
    external_ref = models.CharField(max_length=120, null=True, blank=True)
    segment = models.CharField(max_length=60, blank=True)
    is_prospect = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="en")
    opted_out_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], name="customer_external_ref_unique"),
        ]
        indexes = [
            # Customers are matched by email case-insensitively (UPPER(email) = UPPER(%s)).
            models.Index(Upper("email"), name="customer_email_upper"),
        ]

    def __str__(self):
        return self.name or self.email

    @property
    def has_opted_out(self):
        return self.opted_out_at is not None


class IdentityField(models.TextChoices):
    EMAIL = "email", "Email"
    NAME = "name", "Name"
    SEGMENT = "segment", "Segment"


class IdentityChange(models.Model):
    """What a partner system or a department head said about a known customer that differs
    from the record: kept apart, never applied silently, until a CX manager accepts it
    (the customer's record takes it) or dismisses it."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="reported")
    field = models.CharField(max_length=8, choices=IdentityField.choices)
    value = models.CharField(max_length=254)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=160, help_text="Which door it came through.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The same report twice (every retry of a till) is one change to decide.
            models.UniqueConstraint(
                fields=["customer", "field", "value"],
                condition=models.Q(decided_at__isnull=True),
                name="identity_change_pending_once",
            ),
        ]

    def __str__(self):
        return f"{self.customer_id}: {self.field} → {self.value}"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    UNRESOLVED = "unresolved", "Unresolved"
    ESCALATED = "escalated", "Escalated"
    ABANDONED = "abandoned", "Abandoned"
    PURCHASED = "purchased", "Purchased"
    LOST = "lost", "Lost"


# Outcomes after which the customer walked away: they get the prospect survey.
WALKED_AWAY_OUTCOMES = (Outcome.ABANDONED, Outcome.LOST)


class InteractionQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Interaction(models.Model):
    """A customer met a touchpoint: when, with whom, how fast and with what outcome."""

    # Both are found through the composite indexes below, which they lead: an index of
    # their own would only slow every insert.
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.PROTECT, related_name="interactions", db_index=False
    )
    occurred_at = models.DateTimeField()
    # The local day of occurred_at: the key of the service-standard rollups (set on save).
    day = models.DateField(editable=False)
    handled_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    first_contact_resolution = models.BooleanField(null=True, blank=True)
    external_id = models.CharField(max_length=120, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            # Re-imports and API retries are idempotent through this key.
            models.UniqueConstraint(fields=["external_id"], name="interaction_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "occurred_at"], name="interaction_tp_time"),
            models.Index(fields=["customer", "occurred_at"], name="interaction_customer_time"),
            models.Index(fields=["touchpoint", "day"], name="interaction_tp_day"),
        ]

    def __str__(self):
        return f"{self.customer} at {self.touchpoint} on {self.occurred_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.day = local_day(self.occurred_at)
        super().save(*args, **kwargs)

    @property
    def customer_walked_away(self):
        return self.outcome in WALKED_AWAY_OUTCOMES


class ComplaintSource(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    MAIL = "mail", "Mail"
    EMAIL = "email", "Email"
    WEB = "web", "Web form"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"


class ComplaintQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Complaint(models.Model):
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="complaints")
    source = models.CharField(max_length=12, choices=ComplaintSource.choices)
    received_at = models.DateTimeField()
    text = models.TextField()
    status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    owner = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    resolution_notes = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The text's sentiment, -1 to 1, as for survey comments; None until scored.
    sentiment = models.FloatField(null=True, blank=True)
    external_id = models.CharField(max_length=120, null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="complaint_external_id_unique"),
            models.CheckConstraint(
                condition=(Q(status=ComplaintStatus.RESOLVED) & Q(resolved_at__isnull=False))
                | (~Q(status=ComplaintStatus.RESOLVED) & Q(resolved_at__isnull=True)),
                name="complaint_resolved_at_iff_resolved",
            ),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "received_at"], name="complaint_tp_time"),
        ]

    def __str__(self):
        return f"Complaint about {self.touchpoint} ({self.get_status_display()})"


class ImprovementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ImprovementActionQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class ImprovementAction(models.Model):
    """A change made to a touchpoint, dated so its effect on the gap can be checked."""

    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ImprovementStatus.choices, default=ImprovementStatus.PLANNED
    )
    changed_on = models.DateField(
        null=True, blank=True, help_text="The day the change took effect."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ImprovementStatus.DONE) | Q(changed_on__isnull=False),
                name="improvement_done_has_changed_on",
            ),
        ]

    def __str__(self):
        return self.title


class TokenScope(models.TextChoices):
    FULL = "full", "Acts as its owner"
    INTEGRATION = "integration", "Integration: may only send interactions and complaints"


class ApiToken(models.Model):
    """A per-user key for the REST API. Only the key's SHA-256 is stored: the key itself is
    shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What uses it, e.g. the call centre.")
    scope = models.CharField(max_length=12, choices=TokenScope.choices, default=TokenScope.FULL)
    prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell it apart."
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


def supporters_of(customer_ids) -> dict[int, list[Touchpoint]]:
    """The employee-side touchpoints supporting each of these customer touchpoints, by name:
    the backstage of a map. One query."""
    links = (
        Touchpoint.supports.through.objects.filter(
            to_touchpoint_id__in=list(customer_ids), from_touchpoint__audience=Audience.EMPLOYEE
        )
        .select_related("from_touchpoint__department")
        .order_by("from_touchpoint__name")
    )
    found: dict[int, list[Touchpoint]] = {}
    for link in links:
        found.setdefault(link.to_touchpoint_id, []).append(link.from_touchpoint)
    return found
