"""Personal survey links: a 256-bit token per invitation, of which only a hash is stored.

The token is an HMAC (keyed with SECRET_KEY) of a random 256-bit nonce kept on the row. The
database alone therefore holds nothing that opens a survey, yet the reminder can carry the
same link as the first email. Lookups go by the SHA-256 of the presented token.
"""

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

# 32 bytes in unpadded base64url.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_SALT = "touchstone.surveys.link"


def token_for(nonce: str) -> str:
    digest = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_well_formed(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token))


def issue(invitation) -> str:
    """Give the invitation a fresh token (not saved here) and return it."""
    invitation.token_nonce = secrets.token_hex(32)
    token = token_for(invitation.token_nonce)
    invitation.token_hash = hash_token(token)
    return token


def current_token(invitation) -> str | None:
    """The invitation's token, or None when it cannot be derived any more (the row predates
    nonces, or SECRET_KEY was rotated): then the caller issues a new one."""
    if not invitation.token_nonce:
        return None
    token = token_for(invitation.token_nonce)
    return token if hash_token(token) == invitation.token_hash else None


def absolute_url(view_name: str, token: str) -> str:
    return settings.SITE_URL + reverse(view_name, args=[token])
