"""API tokens: made and revoked by their owners, checked on every API request.

`Authorization: Token <key>`. A full token acts as its owner, with the owner's role. An
integration token, which only CX managers may make, may only send interactions and
complaints: it reads nothing, so a leaked key from a shop till discloses no data.
"""

import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from touchpoints.models import ApiToken, TokenScope

KEY_BYTES = 32
WRITE_ONLY_BASENAMES = {"interaction", "complaint"}
TOUCH_INTERVAL_SECONDS = 60


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def make_token(user, name: str, scope: str = TokenScope.FULL) -> tuple[ApiToken, str]:
    """A new token and its key (shown once, never stored)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=key[:8], key_hash=digest(key)
    )
    return token, key


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send `Authorization: Token <key>`.")
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Unknown or revoked token.")
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > TOUCH_INTERVAL_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


def is_integration(token) -> bool:
    """The request's credentials are an integration token: it sends, and reads nothing."""
    return isinstance(token, ApiToken) and token.scope == TokenScope.INTEGRATION


def integration_allows(request, view) -> bool:
    """An integration token may only send interactions and complaints; anything else
    (another token, a session) is left to the view's own permissions."""
    if not is_integration(request.auth):
        return True
    return request.method == "POST" and getattr(view, "basename", None) in WRITE_ONLY_BASENAMES


class IntegrationTokenLimits(permissions.BasePermission):
    message = "An integration token may only send interactions and complaints."

    def has_permission(self, request, view):
        return integration_allows(request, view)


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema."""

    target_class = "touchpoints.api_tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: make one on the API tokens page.",
        }


class TokenWriteThrottle(throttling.SimpleRateThrottle):
    """Fair use of writes by token (an integration's batch sender, a script): at most
    TOKEN_WRITE_RATE per token, counted in the shared cache, then 429 with Retry-After.
    Browser sessions and reads are not counted."""

    scope = "token_writes"

    def get_rate(self):
        return settings.TOUCHSTONE_TOKEN_WRITE_RATE

    def get_cache_key(self, request, view):
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
