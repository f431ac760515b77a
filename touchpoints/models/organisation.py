"""The organisation: departments, their staff and their touchpoints (the real points
where customers meet the company, with their channel, owner, standards and survey policy)."""

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from touchpoints.models.scoping import ScopedQuerySet
from touchpoints.roles import Role, role_of


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
    follow_up_within = models.DurationField(
        default=dt.timedelta(hours=24),
        help_text="A customer who needs a call back is first contacted within this time.",
    )
    # Asked where the touchpoint is (a link, its QR code, a kiosk, a website widget): the
    # link's secret, None while the touchpoint has no public link.
    public_token = models.CharField(
        max_length=32, null=True, blank=True, unique=True, editable=False
    )
    public_daily_cap = models.PositiveIntegerField(
        default=500,
        help_text="Public answers counted a day at most; any beyond are kept aside, uncounted.",
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


def supporters_of(touchpoint_ids) -> dict[int, list[Touchpoint]]:
    """The employee-side touchpoints supporting each of these customer touchpoints, by name:
    the backstage of a map. One query."""
    links = (
        Touchpoint.supports.through.objects.filter(
            to_touchpoint_id__in=list(touchpoint_ids), from_touchpoint__audience=Audience.EMPLOYEE
        )
        .select_related("from_touchpoint__department")
        .order_by("from_touchpoint__name")
    )
    found: dict[int, list[Touchpoint]] = {}
    for link in links:
        found.setdefault(link.to_touchpoint_id, []).append(link.from_touchpoint)
    return found
