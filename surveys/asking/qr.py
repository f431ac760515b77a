"""QR codes of a touchpoint's public link, for the counter, the receipt or the van: PNG
to download, SVG to print sharp at any size (segno: pure Python, no image library)."""

import io

import segno

# Medium error correction: a code still reads with a corner scuffed or a logo sticker.
ERROR = "m"


def png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    segno.make(url, error=ERROR).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg(url: str) -> str:
    """A standalone SVG document that fills whatever box it is placed in."""
    out = io.BytesIO()
    segno.make(url, error=ERROR).save(out, kind="svg", scale=10, border=4, xmldecl=True,
                                      svgns=True, title="QR code")  # fmt: skip
    return out.getvalue().decode()


def svg_inline(url: str) -> str:
    """The same, for a page of its own (the printable card): no XML declaration."""
    return segno.make(url, error=ERROR).svg_inline(scale=10, border=4)
