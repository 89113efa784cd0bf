"""Text messages that stay in the GSM-7 alphabet and within two SMS segments.

One character outside GSM 03.38 (an ellipsis "…", a curly quote, an emoji) switches the whole
message to UCS-2: 70 characters a segment instead of 160, so a 300-character alert costs 5
segments instead of 2. Every owner text goes through `sms_text`: typography is replaced by its
plain equivalent, accents outside the alphabet lose their marks, anything else becomes "?", and
the text is shortened (never the review link at its end) to fit `MAX_SEGMENTS`.
"""

from __future__ import annotations

import unicodedata

# GSM 03.38 basic character set (one septet each) and its extension table (two septets: ESC + char).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153  # a concatenated message's user-data header takes 7 septets of each segment
MAX_SEGMENTS = 2

_PLAIN = {
    "\u2026": "...", "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u2022": "-", "\u00b7": "-",
    "\t": " ", "\u2122": "TM", "\u00a9": "(c)", "\u00ae": "(R)", "\u2192": "->",
}


def septets(text: str) -> int:
    """Length in GSM-7 septets (extension characters count two). The text must be GSM-7."""
    return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def segments(text: str) -> int:
    """SMS segments the text costs: GSM-7 160/153 septets, otherwise UCS-2 70/67 UTF-16 units."""
    if is_gsm7(text):
        size, single, multi = septets(text), SINGLE_SEGMENT, MULTI_SEGMENT
    else:
        size, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    if size <= single:
        return 1
    return -(-size // multi)


def to_gsm7(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in GSM_BASIC or ch in GSM_EXTENDED:
            out.append(ch)
            continue
        plain = _PLAIN.get(ch)
        if plain is not None:
            out.append(plain)
            continue
        # "ç" -> "c", "ł" stays unknown: decompose and keep the base letter if it is GSM-7.
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(c in GSM_BASIC for c in base) else "?")
    return "".join(out).replace("\r", "")


def fit(text: str, keep_tail: str = "", max_segments: int = MAX_SEGMENTS) -> str:
    """`text` in GSM-7, shortened with "..." so that text + keep_tail fits in `max_segments`."""
    budget = max_segments * MULTI_SEGMENT if max_segments > 1 else SINGLE_SEGMENT
    head, tail = to_gsm7(text), to_gsm7(keep_tail)
    if septets(head) + septets(tail) <= budget:
        return head + tail
    room = budget - septets(tail) - 3
    cut = head
    while cut and septets(cut) > room:
        cut = cut[:-1]
    cut = cut.rstrip()
    if " " in cut[-20:]:  # end on a word
        cut = cut[: cut.rfind(" ")].rstrip(" ,;:.")
    return cut + "..." + tail
