"""API tokens: keys for the REST API, stored hashed."""

from django.conf import settings
from django.db import models


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
