"""Department colours that can be told apart on the map: a new department whose colour
would look like an existing one's gets the palette colour least like any of them."""

PALETTE = (
    "#dc2626", "#ea580c", "#d97706", "#65a30d", "#16a34a", "#0d9488", "#0891b2",
    "#2563eb", "#4f46e5", "#7c3aed", "#c026d3", "#db2777", "#475569", "#92400e",
)  # fmt: skip
# CIE76 colour difference under which two card borders read as the same colour.
TOO_CLOSE = 25.0


def distinct_colour(wanted: str, taken: list[str]) -> str:
    """`wanted`, unless it looks like a colour in `taken`: then the palette's colour that
    is furthest from all of them."""
    if all(difference(wanted, other) >= TOO_CLOSE for other in taken):
        return wanted
    return max(PALETTE, key=lambda colour: min(difference(colour, o) for o in taken))


def difference(one: str, other: str) -> float:
    """CIE76 ΔE between two hex colours: Euclidean distance in CIELAB."""
    return sum((a - b) ** 2 for a, b in zip(_lab(one), _lab(other), strict=True)) ** 0.5


def _lab(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    # sRGB (D65) to XYZ, scaled by the white point.
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (_f(v) for v in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _f(t: float) -> float:
    return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
