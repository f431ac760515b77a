"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests, recording what it accepts.

`fail_every` makes it answer every n-th transaction with a temporary failure (451), so
retries can be tested against a server that really fails part of the time.
"""

import contextlib
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.recipients = []  # every address the envelopes named (RCPT TO), as given
        self.sessions = set()  # client (host, port) pairs: one per SMTP connection
        self.refused = set()
        self.fail_every = 0
        self._transactions = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.sessions.add(session.peer)
        if address.lower() in self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        self.recipients.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._transactions += 1
            if self.fail_every and self._transactions % self.fail_every == 0:
                return "451 4.3.0 Temporary failure, try again"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def use_smtp(settings, controller) -> None:
    """Point Django's mail at the test server (this process only)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""


def body_of(message, subtype="plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()
