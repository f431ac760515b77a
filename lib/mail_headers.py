"""Text that goes into an email header."""


def header_text(text: str) -> str:
    """Text for a header (a subject, a display name): on one line. Names come from other
    systems, and a line break in one would end the header, or the message."""
    return " ".join(text.split())
