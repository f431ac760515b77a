"""Customers (and prospects), and what untrusted doors reported about them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from touchpoints.models.scoping import ScopedQuerySet


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
