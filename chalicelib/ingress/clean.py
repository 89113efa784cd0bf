"""Hostile-input hygiene where data enters: addresses, names, ids, times, amounts, links.

Everything a webhook or an email hands us passes through here before it becomes a domain
event, so nothing later (a template, a mail header, a store key, a date sum) meets a line
break, a bidi override, a lone surrogate or a year 9999.

Rules, in short:

* **Email addresses** are checked, never repaired: an address with a control, bidi or format
  character, a lone surrogate, whitespace, a quoted local part, a comment or anything else a
  mailer could read two ways is unusable. ``normalize_email`` answers ``(None, reason)`` so the
  event can say why the customer cannot be written to.
* **Names and titles** are repaired, never fatal: lone surrogates become U+FFFD, control and
  bidi/format characters go, whitespace collapses to single spaces, length is capped.
* **Ids and tokens** are refused when odd (the caller raises a shape error -> 422): they key
  stores and dedupe, so cleaning them would merge two different things.
* **Times** outside 1970 .. now + 1 day fall back to the caller's "now": a year-9999 date
  would overflow the first time a reminder delay is added to it.

Hand-written rather than the ``email-validator`` package: that package pulls in dnspython (a
large import for a Lambda cold start) for deliverability checks we must not do here anyway.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "EARLIEST",
    "clean_text",
    "id_problem",
    "money_problem",
    "normalize_email",
    "safe_url",
    "sane_time",
]

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MAX_ID_CHARS = 255
MAX_AMOUNT = Decimal(10) ** 12  # no small shop takes a trillion in one order
MAX_URL_CHARS = 2048

# Bidirectional controls (the "Trojan Source" set) are category Cf, but name them for readers.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# RFC 5322 dot-atom, with RFC 6531's non-ASCII letters and digits (\w beyond ASCII) allowed too.
_ATEXT = r"(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7f\W])"
_LOCAL_RE = re.compile(rf"^{_ATEXT}+(?:\.{_ATEXT}+)*$")
_LABEL_RE = re.compile(r"^(?!-)(?:[A-Za-z0-9-]|[^\x00-\x7f\W]){1,63}(?<!-)$")
_TLD_RE = re.compile(r"^(?:[^\W\d_]{2,63}|xn--[A-Za-z0-9-]{1,59})$")
_SPACE_RE = re.compile(r"\s")
_URL_RE = re.compile(r"^https?://[^\s<>\"'\\]+$", re.IGNORECASE)


def _bad_char(ch: str) -> str | None:
    """Why one character may not appear in an address or id (None when it may)."""
    if "\ud800" <= ch <= "\udfff":
        return "a lone surrogate (broken Unicode)"
    if ch in "\r\n":
        return "a line break"
    if ch in BIDI_CONTROLS:
        return "a bidirectional control character"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "a control character"
    if category in ("Cf", "Co", "Cn"):
        return "an invisible or unassigned character"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator"
    return None


def _first_bad_char(value: str) -> str | None:
    if value.isprintable():  # C-speed fast path: no control, format, surrogate, private or unassigned character
        return None
    for ch in value:
        why = _bad_char(ch)
        if why is not None:
            return why
    return None


def normalize_email(value: Any) -> tuple[str | None, str]:
    """``(address, "")`` lower-cased and trimmed, or ``(None, reason)`` when it is not safely usable.

    Accepts the dot-atom form that every shop platform hands out (``jo.smith+cart@example.co.uk``),
    including internationalised domains in their ASCII (``xn--``) form; refuses anything a mail
    header could carry two ways.
    """
    if value is None:
        return None, "no email address"
    if not isinstance(value, str):
        return None, f"the email address is a {type(value).__name__}, not text"
    text = value.strip()
    if not text:
        return None, "no email address"
    why = _first_bad_char(text)
    if why is not None:
        return None, f"the email address contains {why}"
    if _SPACE_RE.search(text):
        return None, "the email address contains whitespace"
    if len(text) > 254:
        return None, "the email address is longer than 254 characters"
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return None, "the email address has no local part and domain"
    if "@" in local:
        return None, "the email address has more than one @"
    if len(local) > 64 or not _LOCAL_RE.match(local):
        return None, "the email address has an unusual local part (quoted, commented or with odd characters)"
    labels = domain.rstrip(".").split(".") if not domain.endswith("..") else [""]
    if len(labels) < 2 or not all(_LABEL_RE.match(label) for label in labels) or not _TLD_RE.match(labels[-1]):
        return None, "the email address has no valid domain"
    return f"{local}@{domain.rstrip('.')}".lower(), ""


def clean_text(value: Any, max_chars: int = 200) -> str | None:
    """A name, title or reason made safe to print: never fails on a string, None when nothing is left.

    Lone surrogates become U+FFFD; control, bidi, format and private-use characters are dropped;
    runs of whitespace (line breaks included) become one space; the result is cut at ``max_chars``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        value = str(value)
    if not isinstance(value, str):
        return None
    # The common case runs at C speed (printable text: only runs of spaces to collapse).
    text = " ".join(value.split()) if value.isprintable() else _cleaned(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text or None


def _cleaned(value: str) -> str:
    out: list[str] = []
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        elif ch.isspace():
            out.append(" ")
        elif ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def id_problem(value: str) -> str | None:
    """Why a string cannot be an id or token (None when it can)."""
    if len(value) > MAX_ID_CHARS:
        return f"is longer than {MAX_ID_CHARS} characters"
    why = _first_bad_char(value)
    if why is not None:
        return f"contains {why}"
    if _SPACE_RE.search(value):
        return "contains whitespace"
    return None


def sane_time(value: datetime, fallback: datetime) -> datetime:
    """``value`` when it lies between 1970 and a day after ``fallback``; ``fallback`` otherwise."""
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if EARLIEST <= value <= fallback + FUTURE_SLACK:
            return value
    except (OverflowError, ValueError, TypeError):
        pass
    return fallback


def money_problem(value: Decimal) -> str | None:
    """Why an amount cannot be used (None when it can): NaN, infinity, absurd size or precision."""
    try:
        if not value.is_finite():
            return "is not a finite number"
        if value != 0 and (abs(value) >= MAX_AMOUNT or value.adjusted() < -12):
            return "is out of range"
    except InvalidOperation:
        return "is not a number"
    return None


def safe_url(value: Any) -> str | None:
    """An http(s) link with no whitespace, quotes or control characters, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_URL_CHARS or _first_bad_char(text) is not None or not _URL_RE.match(text):
        return None
    return text


def clean_body(value: str, max_chars: int = 100_000) -> str:
    """A message body made safe to store and show: lines kept, broken Unicode and invisible controls gone."""
    out: list[str] = []
    for ch in value[:max_chars]:
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        elif ch in "\n\t":
            out.append(ch)
        elif ch == "\r" or ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return "".join(out)
