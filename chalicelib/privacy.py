"""Masking personal data before it reaches a log line or a store that does not need it.

Pure and fast: a handful of regular expressions compiled at import (no I/O, no environment).

What is masked, and how:

* email addresses keep the first characters of the local part and the whole domain
  (``jo***@example.com``), enough for an owner to recognise a customer, not to write to one;
* phone numbers keep their shape and last two digits (``+** **** ***123`` -> ``+** **** ****23``);
* card-like numbers (13 to 19 digits, contiguous or grouped with spaces or dashes in groups of
  at least four digits, as cards are printed) keep their
  last four digits: ``[card ****1111]``. They are masked **whether or not they pass the Luhn
  check**: a customer who mistypes one digit of a card has still shared a card number, and a
  masked long order or tracking number costs little in a log line.

``customer_ref`` gives a short, stable reference for logs instead of the address itself.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["customer_ref", "mask_email", "mask_phone", "mask_pii"]

# Each pattern starts only where a token starts (the look-behinds), so scanning stays linear on
# long runs of letters or digits.
_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# 13-19 digits, contiguous or in groups of four or more (4-4-4-4, 4-6-5...), so that two phone
# numbers written side by side ("555-123-4567 555-987-6543") are not taken for a card.
_CARD_RE = re.compile(r"(?<![\w-])\d{4,19}(?:[ -]\d{4,19}){0,4}(?![\w])")
# A phone candidate: optional + or 00, digits with common separators; checked further in _is_phone.
# At most 15 digits (E.164), so two numbers side by side are found as two candidates.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|\b00)?\(?\d(?:[ \t().\-/]{0,3}\d){6,14}(?![\w])")
_DATE_RE = re.compile(r"^\(?\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\)?$")
_YEAR_RANGE_RE = re.compile(r"^(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d$")
_DIGIT_RE = re.compile(r"\d")


def mask_email(addr: str) -> str:
    """``jo***@example.com``: the first two characters of the local part (one when it is short),
    then ``***``, then the domain, lower-cased. Text without ``@`` is masked whole but its first
    character."""
    addr = addr.strip()
    if not addr:
        return ""
    local, at, domain = addr.rpartition("@")
    if not at:
        return addr[:1] + "***"
    keep = 2 if len(local) > 3 else 1
    return f"{local[:keep]}***@{domain.lower()}"


def mask_phone(s: str) -> str:
    """Every digit but the last two becomes ``*``; ``+``, spaces and punctuation keep the shape."""
    digits = len(_DIGIT_RE.findall(s))
    if digits <= 2:
        return s
    seen = 0
    out: list[str] = []
    for ch in s:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 2 else "*")
        else:
            out.append(ch)
    return "".join(out)


def _mask_card(match: re.Match[str]) -> str:
    digits = "".join(ch for ch in match.group(0) if ch.isdigit())
    if not 13 <= len(digits) <= 19:
        return match.group(0)
    return f"[card ****{digits[-4:]}]"


def _is_phone(candidate: str) -> bool:
    stripped = candidate.strip()
    digits = len(_DIGIT_RE.findall(stripped))
    international = stripped.startswith(("+", "00"))
    if not 7 <= digits <= 15 or (international and digits < 8):
        return False
    if _DATE_RE.match(stripped) or _YEAR_RANGE_RE.match(stripped):
        return False
    grouped = any(ch in stripped for ch in " -./()")
    # A bare run of digits is a phone number only when long enough to be one (10+ digits, or an
    # international prefix); shorter bare runs are usually order numbers or amounts.
    return international or grouped or digits >= 10


def _mask_phone_match(match: re.Match[str]) -> str:
    text = match.group(0)
    return mask_phone(text) if _is_phone(text) else text


def mask_pii(text: str) -> str:
    """Mask email addresses, card-like numbers and phone numbers in free text (in that order)."""
    if not text:
        return text
    text = _EMAIL_RE.sub(lambda m: mask_email(m.group(0)), text)
    text = _CARD_RE.sub(_mask_card, text)
    return _PHONE_RE.sub(_mask_phone_match, text)


def customer_ref(email: str, *, salt: str = "") -> str:
    """A short stable reference for logs: ``c_`` and 12 hex characters of SHA-256 of the
    trimmed, lower-cased address (with an optional salt).

    It cannot be reversed, but without a salt anyone holding a candidate address can confirm
    it; pass a per-installation salt where that matters. The same address always gives the
    same reference, so log lines about one customer can be followed without naming them.
    """
    normalized = email.strip().lower()
    return "c_" + hashlib.sha256((salt + normalized).encode("utf-8", "surrogatepass")).hexdigest()[:12]
