"""SMS segment counting: GSM-7 (160 / 153 characters) or UCS-2 (70 / 67 characters).

A text that uses only the GSM 03.38 default alphabet (and its extension table, whose
characters cost two septets) is sent as GSM-7; any other character (é is GSM, but ê, ç
upper-case, emoji... are not) switches the whole message to UCS-2.  Long messages are split
into concatenated segments whose header eats 7 septets (GSM-7) or 3 characters (UCS-2).
Providers bill per segment, so the officer sees this count before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SegmentCount:
    """How a text travels as SMS: encoding, length in its units, and billed segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int

    def describe(self) -> str:
        """A one-line summary for the officer, e.g. '1 segment (GSM-7, 142/160)'."""
        single = 160 if self.encoding == "GSM-7" else 70
        plural = "segment" if self.segments == 1 else "segments"
        return f"{self.segments} {plural} ({self.encoding}, {self.units}/{single} per single SMS)"


def count_segments(text: str) -> SegmentCount:
    """Encoding and number of SMS segments ``text`` needs."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SegmentCount(encoding, units, 1 if units else 0)
    return SegmentCount(encoding, units, -(-units // multi))
