"""Where webhooks may be sent: the public internet only. A webhook is a request the server
makes on a CX manager's say; pointed inside (loopback, the private network, a cloud's
metadata service at 169.254.169.254) it would reach what no outsider can. Each address a
host resolves to is checked when the hook is saved and again at every send, and the send
connects to the very address that was checked, so a name that resolves elsewhere the
second time (DNS rebinding) cannot slip through. WEBHOOK_ALLOWED_NETWORKS names internal
networks that may be reached on purpose (a receiver on the same machine, a test).
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 10


class RefusedTarget(ValueError):
    """The URL may not be sent to; the message says why, for the person who entered it."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address the connection goes to


def checked_target(url: str) -> Target:
    """The URL's target, resolved and checked; raises RefusedTarget."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget("Use an http:// or https:// address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as unknown:
        raise RefusedTarget(f"{parts.hostname} cannot be resolved ({unknown}).") from unknown
    addresses = [info[4][0] for info in found]
    for address in addresses:
        if not _may_reach(ipaddress.ip_address(address)):
            raise RefusedTarget(
                f"{parts.hostname} resolves to {address}, an internal address: webhooks go "
                "to the public internet (an operator may allow a network with "
                "WEBHOOK_ALLOWED_NETWORKS)."
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


def _may_reach(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    allowed = [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]
    return address.is_global or any(address in network for network in allowed)


def post_to(target: Target, body: bytes, headers: dict[str, str]) -> int:
    """POST to the checked address, naming the host as the URL does; returns the status."""
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target):
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS)
        self.target = target

    def connect(self):
        self.sock = socket.create_connection((self.target.address, self.target.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target):
        super().__init__(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
        self.target = target

    def connect(self):
        raw = socket.create_connection((self.target.address, self.target.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.target.host)
