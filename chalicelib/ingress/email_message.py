"""Inbound email: decode whatever arrives, keep only the customer's new words, say what kind of mail it is.

Pure parsing: no network, no environment, nothing happens at import time beyond compiling a few
regular expressions. Three entry points cover the ways mail reaches Warmline:

* ``parse_mime(raw)`` for RFC 5322 bytes (SES content, an ``.eml`` file, Postmark's ``RawEmail``);
* ``parse_postmark(payload)`` for Postmark's inbound webhook JSON;
* ``parse_ses_notification(notification)`` for the SES receipt notification carried by SNS
  (``unwrap_sns_envelope`` takes the SNS HTTP body apart first).

Robustness is the point: real mail lies about its charset, loses its closing boundary, arrives
as HTML only, or carries RFC 2047 words in a charset Python has never heard of. ``parse_mime``
never raises on any bytes; it returns whatever text it can find.

Only messages whose ``kind`` is ``"customer"`` should be scored and answered. Everything else
(bounces, spam complaints, out-of-office replies, list mail, no-reply senders) is recorded
with ``kind_reason`` and never auto-answered, so two robots never talk to each other.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.header
import email.policy
import email.utils
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import Message
from html.parser import HTMLParser
from typing import Any, Literal

from .clean import normalize_email

__all__ = [
    "EmailKind",
    "InboundEmail",
    "extract_new_text",
    "html_to_text",
    "judge_trust",
    "parse_mime",
    "parse_postmark",
    "parse_ses_notification",
    "ses_verdicts",
    "unwrap_sns_envelope",
    "with_ses_verdicts",
]

EmailKind = Literal["customer", "bounce", "complaint", "auto_reply", "bulk", "no_reply"]

# The headers kept on InboundEmail.headers: what classification and threading look at.
CLASSIFICATION_HEADERS: tuple[str, ...] = (
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Autoreply",
    "X-Autorespond",
    "X-Autoresponder",
    "X-Failed-Recipients",
    "Return-Path",
    "Content-Type",
    "Message-ID",
    "In-Reply-To",
    "Reply-To",
)

_MAX_HEADER_CHARS = 998  # RFC 5322 line limit; longer values are cut in InboundEmail.headers
_MAX_DEPTH = 12  # MIME nesting we follow; deeper parts are ignored


@dataclass(frozen=True)
class InboundEmail:
    """One inbound email, decoded and classified.

    ``new_text`` holds only what the sender wrote this time (quoted replies, forwarded history
    and signatures removed); ``full_text`` is the whole decoded text body, so the difference
    shows what stripping saved.
    """

    message_id: str
    from_email: str
    from_name: str | None
    to: tuple[str, ...]
    subject: str
    new_text: str
    full_text: str
    kind: EmailKind
    kind_reason: str
    date: datetime | None
    in_reply_to: str | None
    headers: dict[str, str]
    reply_to: str | None = None  # lower-cased Reply-To address, when it differs from From
    references: tuple[str, ...] = ()  # Message-IDs from the References header (without <>), oldest first
    trust: str = "unknown"  # "pass" | "fail" | "spam" | "virus" | "unknown": see judge_trust
    trust_detail: str = ""  # the verdicts the trust came from
    from_problem: str = ""  # why from_email is "" when the From line named an address we cannot use


# --------------------------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------------------------

# Charsets that decode any byte string without error, so a wrong declaration cannot be noticed
# by decoding alone: if such a part is valid UTF-8 with non-ASCII bytes, it almost certainly
# is UTF-8 mislabelled (the commonest lie in the wild).
_PERMISSIVE_CHARSETS = frozenset(
    {
        "us-ascii",
        "ascii",
        "iso-8859-1",
        "iso8859-1",
        "latin-1",
        "latin1",
        "l1",
        "iso-8859-15",
        "windows-1252",
        "cp1252",
        "cp819",
    }
)


_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset, falling back sensibly; never raises.

    Order: plain ASCII as is; UTF-8 when a permissive single-byte charset is declared but the bytes
    are valid UTF-8 (the commonest lie); the declared charset; strict UTF-8; UTF-8 with replacement
    characters when the bytes are mostly UTF-8; cp1252; latin-1 (which cannot fail).
    """
    declared = (charset or "").strip().strip('"').lower()
    if declared in {"unknown-8bit", "x-unknown", "default", "8bit"}:
        declared = ""
    if data.isascii():
        return data.decode("ascii")
    if declared in _PERMISSIVE_CHARSETS:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (declared, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except Exception:  # unknown charset (LookupError), lying charset, or a codec that is not text
            continue
    lenient = data.decode("utf-8", "replace")
    if len(_UTF8_SEQUENCE_RE.findall(data)) > lenient.count("\ufffd"):
        return lenient
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _clean(text: str) -> str:
    """Repair text that still carries undecoded bytes (surrogate escapes) or lone surrogates."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return _decode_bytes(raw, None)


def _decode_rfc2047(value: str) -> str:
    """Decode RFC 2047 encoded words by hand (the compat32 way), tolerating unknown charsets."""
    try:
        chunks = email.header.decode_header(value)
    except Exception:
        return _clean(value)
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(_decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return _clean("".join(out))


def _one_line(value: str) -> str:
    return " ".join(value.split())


# --------------------------------------------------------------------------------------------
# HTML to text (stdlib html.parser only)
# --------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "title", "template", "noscript"})
_SIGNATURE_MARKERS = ("gmail_signature", "signature", "moz-signature")


class _HTMLText(HTMLParser):
    """Collects readable text. Blockquotes become ``> `` lines so reply stripping sees them as quotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._skip = 0
        self._quote = 0
        self._pre = 0

    def _flush(self) -> None:
        text = "".join(self._line).strip()
        self._line = []
        if text:
            self.lines.append("> " * self._quote + text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "blockquote":
            self._quote += 1
        elif tag == "pre":
            self._pre += 1
        elif tag == "div":
            marker = " ".join(v or "" for k, v in attrs if k in {"class", "id"}).lower()
            if any(m in marker.split() for m in _SIGNATURE_MARKERS):
                self.lines.append("-- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK_TAGS and tag != "br":
            self._flush()
        if tag == "blockquote" and self._quote:
            self._quote -= 1
        elif tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._flush()
                self._line.append(part)
            return
        self._line.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        self._flush()
        return "\n".join(self.lines).strip()


_TAG_RE = re.compile(r"<[^>]{0,2000}>")


def html_to_text(html: str) -> str:
    """Readable text from an HTML body; quoted blocks come out as ``> `` lines. Never raises."""
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
        return _clean(parser.text())
    except Exception:
        import html as html_module

        return _clean(html_module.unescape(_TAG_RE.sub(" ", html))).strip()


# --------------------------------------------------------------------------------------------
# Reply, forward and signature stripping
# --------------------------------------------------------------------------------------------

_QUOTED_RE = re.compile(r"^\s{0,3}>")

# "On <date>, <name> wrote:" and its cousins. The lead word starts the attribution, the verb ends
# it (German and Dutch put the verb before the name: "Am 1.2.2024 um 10:00 schrieb Jan <j@x>:").
_ATTRIBUTION_LEAD = r"(?:On|Le|Am|El|Il(?: giorno)?|Op|Em|Den|På|W dniu|Dne|Dana|Στις|В)"
# Verbs that end the attribution ("... wrote:") and verbs followed by the name ("... schrieb Jan <j@x>:").
_END_VERB = r"(?:wrote|a\s+écrit|escribió|escribio|ha\s+scritto|escreveu|napisał|napisała|napsal|написал|έγραψε)"
_MID_VERB = r"(?:schrieb|schreef|skrev)"
_ATTRIBUTION_RE = re.compile(
    rf"^\s*{_ATTRIBUTION_LEAD}\s.{{0,300}}?(?:{_END_VERB}\s*:|\b{_MID_VERB}\b.{{0,200}}:)\s*$",
    re.IGNORECASE,
)
# "Jane Doe <jane@example.com> wrote:" / "Jan <j@x.de> schrieb am 1.2.2024:" with no lead word.
_BARE_ATTRIBUTION_RE = re.compile(
    rf"^\s*\S.{{0,200}}[@<>].{{0,200}}?(?:{_END_VERB}\s*:|\b{_MID_VERB}\b.{{0,80}}:)\s*$", re.IGNORECASE
)

_SEPARATOR_RE = re.compile(
    r"^\s*[-=_*]{2,}\s*(?:original\s+message|originalnachricht|ursprüngliche\s+nachricht|"
    r"message\s+d'origine|mensaje\s+original|messaggio\s+originale|oorspronkelijk\s+bericht|"
    r"mensagem\s+original|ursprungligt\s+meddelande)\s*[-=_*]{2,}\s*$",
    re.IGNORECASE,
)
_FORWARD_RE = re.compile(
    r"^\s*(?:[-=_*]{2,}\s*)?(?:begin\s+forwarded\s+message|forwarded\s+message|weitergeleitete\s+nachricht|"
    r"message\s+transféré|mensaje\s+reenviado|messaggio\s+inoltrato|doorgestuurd\s+bericht|"
    r"mensagem\s+encaminhada|vidarebefordrat\s+meddelande)\s*:?\s*(?:[-=_*]{2,})?\s*$",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^\s*_{10,}\s*$")
_SIG_DELIMITER_RE = re.compile(r"^--\s?$")
_SENT_FROM_RE = re.compile(
    r"^\s*(?:sent\s+from\s+my\s|sent\s+from\s+(?:mail|outlook|yahoo\s+mail|gmail|aol)\b|get\s+outlook\s+for\s|"
    r"envoyé\s+(?:de|depuis)\s+mon\s|von\s+meinem\s.{1,40}\s+gesendet|gesendet\s+von\s+meinem\s|"
    r"enviado\s+desde\s+mi\s|enviado\s+do\s+meu\s|inviato\s+da(?:l\s+mio)?\s|verzonden\s+(?:vanaf|met)\s+mijn\s|"
    r"skickat\s+från\s+min\s)",
    re.IGNORECASE,
)
_OUTLOOK_FROM_RE = re.compile(r"^\s*\*?(?:from|von|de|da|van|från|fra|od|lähettäjä)\s*:\*?\s*\S", re.IGNORECASE)
_OUTLOOK_FIELD_RE = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto|"
    r"inviato|data|a|oggetto|verzonden|aan|onderwerp|skickat|till|ämne)\s*:",
    re.IGNORECASE,
)
# A closing line on its own ("Thanks,", "Best regards", "Mit freundlichen Grüßen"...).
_VALEDICTION_RE = re.compile(
    r"^\s*(?:best(?:\s+regards|\s+wishes)?|kind(?:est)?\s+regards|warm(?:est)?\s+regards|regards|"
    r"many\s+thanks|thanks(?:\s+again|\s+so\s+much|\s+a\s+lot|\s+in\s+advance)?|thank\s+you(?:\s+very\s+much|\s+so\s+much)?|"
    r"cheers|sincerely|yours(?:\s+sincerely|\s+truly)?|all\s+the\s+best|take\s+care|"
    r"mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|(?:viele|beste|liebe|herzliche)\s+gr(?:ü|ue)(?:ß|ss)e|"
    r"gr(?:ü|ue)(?:ß|ss)e?|lg|mfg|vg|cordialement|bien\s+cordialement|bien\s+à\s+vous|merci(?:\s+beaucoup)?|"
    r"salutations|bisous|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|gracias|cordiali\s+saluti|saluti|"
    r"grazie(?:\s+mille)?|met\s+vriendelijke\s+groet(?:en)?|groeten|med\s+vänlig\s+hälsning|hälsningar)"
    r"(?:[\s,.!-]+[^\W\d_][\w.'-]{0,20}(?:\s[^\W\d_][\w.'-]{0,20})?)?[\s,.!-]*$",
    re.IGNORECASE,
)

# A company's legal footer ("This email and any attachments are confidential... If you have received it in error...
# may be fraud"): boilerplate, not the customer's words, and full of words a complaint uses. It ends the new text
# when something the sender wrote comes before it.
_DISCLAIMER_RE = re.compile(
    r"^\W{0,3}(?:(?:disclaimer|confidentiality(?:\s+(?:notice|note|statement|warning))?|legal\s+(?:notice|disclaimer)"
    r"|privileged\s+(?:and|&)\s+confidential|important\s+notice)\s*[:\-\u2013]"
    r"|(?:the\s+)?(?:this|information|contents?)\b[^.]{0,40}?\b(?:e-?mail|message|communication|transmission)s?\b"
    r"[^.]{0,120}?\b(?:is|are|may\s+be|may\s+contain|contains?)\s+(?:strictly\s+)?(?:confidential|privileged"
    r"|intended\s+(?:(?:solely|only|exclusively)\s+for|for\s+the\s+(?:named|use|exclusive|sole|addressee|recipient"
    r"|person|individual)))"
    r"|if\s+you\s+(?:are\s+not\s+the\s+(?:intended|named)\s+(?:recipient|addressee)|have\s+received\s+this\b"
    r"[^.]{0,40}?\bin\s+error)"
    r"|please\s+consider\s+the\s+environment\s+before\s+printing)",
    re.IGNORECASE,
)
# A mail gateway's warning above or below the message ("CAUTION: This email originated from outside of the
# organisation. Do not click links..."): dropped with its paragraph, wherever it is.
_BANNER_RE = re.compile(
    r"^\W{0,3}(?:\[?external\]?|caution|warning|attention|notice)?\s*[:\-\u2013]?\s*(?:\[?external\]?\s*[:\-]?\s*)?"
    r"(?:this\s+(?:e-?mail|message)\s+(?:originated|came|was\s+sent)\s+from\s+(?:outside|an?\s+external)"
    r"|you\s+don't\s+often\s+get\s+email\s+from\b)",
    re.IGNORECASE,
)
# A new sentence of such a warning ("Do not click links or open attachments unless you recognise the sender").
_BANNER_GOES_ON_RE = re.compile(
    r"^\W{0,3}(?:do\s+not|don't|please|report|learn|use\s+caution|exercise|be\s+(?:careful|cautious)|if\s+you|never)"
    r"\b.{0,200}?\b(?:click|links?|attachments?|sender|phishing|recogni[sz]e|content\s+is\s+safe|suspicious"
    r"|learn\s+why)\b",
    re.IGNORECASE,
)

_MAX_LINE_FOR_PATTERNS = 600  # longer lines are prose, not headers or attributions


def _is_quoted(line: str) -> bool:
    return _QUOTED_RE.match(line) is not None


def _attribution_end(lines: list[str], i: int) -> int | None:
    """If an "On ... wrote:" attribution starts at line i (possibly wrapped over 3 lines), return the
    index of the line after it."""
    first = lines[i]
    if not first.strip() or len(first) > _MAX_LINE_FOR_PATTERNS or _is_quoted(first):
        return None
    joined = ""
    for k in range(i, min(i + 3, len(lines))):
        part = lines[k].strip()
        if not part and k > i:
            return None
        joined = f"{joined} {part}".strip() if joined else part
        if len(joined) > _MAX_LINE_FOR_PATTERNS:
            return None
        if not joined.endswith(":"):
            continue
        # Attributions name a date, time or address; "On Monday I wrote:" in prose does not.
        if not re.search(r"[\d@<]", joined):
            continue
        if _ATTRIBUTION_RE.match(joined) or (k == i and _BARE_ATTRIBUTION_RE.match(joined)):
            return k + 1
    return None


def _is_outlook_header(lines: list[str], i: int) -> bool:
    """An Outlook-style "From: ... / Sent: ... / To: ..." block starts at line i."""
    if len(lines[i]) > _MAX_LINE_FOR_PATTERNS or not _OUTLOOK_FROM_RE.match(lines[i]):
        return False
    for k in range(i + 1, min(i + 7, len(lines))):
        line = lines[k]
        if not line.strip():
            continue
        return _OUTLOOK_FIELD_RE.match(line) is not None
    return False


def _is_history_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if len(line) > _MAX_LINE_FOR_PATTERNS:
        return False
    return bool(
        _SEPARATOR_RE.match(line) or _FORWARD_RE.match(line) or _RULE_RE.match(line) or _is_outlook_header(lines, i)
    )


def _is_signature_start(line: str) -> bool:
    if _SIG_DELIMITER_RE.match(line):
        return True
    return len(line) <= 120 and _SENT_FROM_RE.match(line) is not None


def _without_boilerplate(lines: list[str]) -> list[str]:
    """Drop a mail gateway's "this email originated from outside" paragraph, and a legal footer with everything after
    it once the sender has written something above it."""
    out: list[str] = []
    banner = ""  # the last line of a warning being dropped
    for line in lines:
        short = line[:_MAX_LINE_FOR_PATTERNS]
        # A warning goes on while its sentence wraps, or with a sentence of its own kind; the sender's words may
        # follow it with or without a blank line.
        if banner and not (line.strip() and (not banner.rstrip().endswith((".", "!", "?"))
                                             or _BANNER_GOES_ON_RE.match(short))):
            banner = ""
        if not banner and _BANNER_RE.match(short):
            banner = line
        if banner:
            banner = line
            continue
        if _DISCLAIMER_RE.match(short) and any(kept.strip() for kept in out):
            break
        out.append(line)
    return out


def _strip_valediction(lines: list[str]) -> list[str]:
    """Drop a closing ("Thanks,\\nJane") at the very end, when something meaningful stays above it."""
    nonblank = [k for k, line in enumerate(lines) if line.strip()]
    if len(nonblank) < 2:
        return lines
    tail = nonblank[-5:]
    for k in tail:
        if not _VALEDICTION_RE.match(lines[k]):
            continue
        after = [lines[j] for j in nonblank if j > k]
        short_tail = len(after) <= 3 and all(len(a.strip()) <= 60 and not a.rstrip().endswith("?") for a in after)
        if short_tail and any(lines[j].strip() for j in range(k)):
            return lines[:k]
    return lines


def extract_new_text(text: str) -> str:
    """Only the sender's new words: drop quoted lines, reply attributions, forwarded and
    ``Original Message`` history, Outlook header blocks, signatures and a closing sign-off.

    History introduced by a header without ``>`` quoting (Outlook, forwards) ends the new text;
    after an ``On ... wrote:`` followed by ``>`` lines, unquoted text is kept as an inline reply.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_quoted(line):
            i += 1
            continue
        if _is_signature_start(line) or _is_history_start(lines, i):
            break
        end = _attribution_end(lines, i)
        if end is not None:
            j = end
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _is_quoted(lines[j]):
                i = j
                continue
            break
        out.append(line.rstrip())
        i += 1
    out = _strip_valediction(_without_boilerplate(out))
    result = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", result)


# --------------------------------------------------------------------------------------------
# MIME
# --------------------------------------------------------------------------------------------


def _raw_header(msg: Message, name: str) -> str | None:
    """The first value of a header, decoded; tolerant of headers the default policy cannot parse."""
    try:
        value = msg.get(name)
        if value is not None:
            return _clean(str(value))
    except Exception:
        pass
    try:
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                return _decode_rfc2047(str(raw))
    except Exception:
        return None
    return None


def _parse_address(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, address) pairs; addresses lower-cased, names decoded."""
    try:
        header: Any = msg.get(name)
        if header is None:
            return []
        addresses = getattr(header, "addresses", None)
        if addresses is not None:
            pairs = [(_clean(str(a.display_name or "")), _clean(str(a.addr_spec or ""))) for a in addresses]
            if any(addr for _, addr in pairs):
                return [(disp, addr.lower()) for disp, addr in pairs]
    except Exception:
        pass
    raw: str | None = None
    try:
        for key, value in msg.raw_items():
            if key.lower() == name.lower():
                raw = str(value)
                break
    except Exception:
        return []
    if raw is None:
        return []
    return _addresses_from_string(raw)


def _addresses_from_string(raw: str) -> list[tuple[str, str]]:
    try:
        pairs = email.utils.getaddresses([_clean(raw)])
    except Exception:
        return []
    return [(_decode_rfc2047(disp), addr.strip().lower()) for disp, addr in pairs if addr]


def _valid_address(addr: str) -> bool:
    """An address we may write to: no line breaks, controls, bidi characters or broken Unicode (see clean.py)."""
    return normalize_email(addr)[0] is not None


def _sender(pairs: list[tuple[str, str]]) -> tuple[str, str | None, str]:
    """(address, display name, problem) of the first usable sender in From's (name, address) pairs."""
    for disp, addr in pairs:
        if not addr:
            continue
        address, why = normalize_email(addr)  # the first address given decides: a poisoned one is not skipped
        return (address, _one_line(disp) or None, "") if address else ("", None, why)
    return "", None, "no sender address"


_MSG_ID_RE = re.compile(r"<([^<>\s]{1,900})>")
MAX_REFERENCES = 50


def _message_ids(value: str | None) -> tuple[str, ...]:
    """Every <id> in a References header, oldest first (the newest MAX_REFERENCES when there are more)."""
    if not value:
        return ()
    found = _MSG_ID_RE.findall(value)
    return tuple(found[-MAX_REFERENCES:])


# --------------------------------------------------------------------------------------------
# Trust: how far the sender is authenticated, from the receiving service's verdicts
# --------------------------------------------------------------------------------------------

_VERDICT_KEYS = ("spf", "dkim", "dmarc", "spam", "virus")
_AUTH_RESULT_RE = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
SPAM_SCORE_THRESHOLD = 5.0  # SpamAssassin's default "required" score, which Postmark's X-Spam-Status uses


def judge_trust(verdicts: dict[str, str], source: str) -> tuple[str, str]:
    """("pass" | "fail" | "spam" | "virus" | "unknown", detail) from lower-case verdicts by check.

    virus and spam first (a failed scan outranks authentication); then "fail" when DMARC fails, or
    SPF or DKIM fails with the other not passing; "pass" when DMARC passes, or, where no DMARC
    verdict exists, when SPF and DKIM both pass; "unknown" otherwise (a lone SPF pass proves only the
    envelope, which the sender chooses, not the From line).
    """
    got = {k: v for k, v in verdicts.items() if v}
    detail = f"{source}: " + " ".join(f"{k}={got[k]}" for k in _VERDICT_KEYS if k in got) if got else ""
    spf, dkim, dmarc = got.get("spf", ""), got.get("dkim", ""), got.get("dmarc", "")
    if got.get("virus") == "fail":
        return "virus", detail
    if got.get("spam") == "fail":
        return "spam", detail
    if dmarc == "fail" or (spf == "fail" and dkim != "pass") or (dkim == "fail" and spf != "pass"):
        return "fail", detail
    if dmarc == "pass" or (not dmarc and spf == "pass" and dkim == "pass"):
        return "pass", detail
    return "unknown", detail


def _status(value: Any) -> str:
    status = value.get("status") if isinstance(value, dict) else None
    if not isinstance(status, str):
        return ""
    status = status.strip().lower()
    return status if status in ("pass", "fail", "gray", "processing_failed", "disabled") else ""


def ses_verdicts(notification: dict[str, Any]) -> dict[str, str]:
    """spfVerdict, dkimVerdict, dmarcVerdict, spamVerdict, virusVerdict of an SES receipt, lower-cased."""
    receipt = notification.get("receipt") if isinstance(notification, dict) else None
    if not isinstance(receipt, dict):
        return {}
    found = {key: _status(receipt.get(f"{key}Verdict")) for key in _VERDICT_KEYS}
    return {k: v for k, v in found.items() if v}


def with_ses_verdicts(parsed: InboundEmail, notification: dict[str, Any]) -> InboundEmail:
    """The message with the trust SES's receipt gives it (SNS authenticates the receipt, so it outranks
    any header the sender wrote); unchanged when the receipt carries no verdicts."""
    verdicts = ses_verdicts(notification)
    if not verdicts:
        return parsed
    trust, detail = judge_trust(verdicts, "ses")
    return replace(parsed, trust=trust, trust_detail=detail)


def _header_trust(values: Callable[[str], list[str]]) -> tuple[str, str]:
    """Trust from headers a receiving service added: Authentication-Results, Received-SPF, X-Spam-Status
    and X-Spam-Score. The topmost instance is the receiver's (each hop prepends), so only it may say
    "pass"; a failing verdict counts from any instance (a sender who forges one only hurts itself)."""
    verdicts: dict[str, str] = {}
    notes: list[str] = []

    def worst(key: str, value: str, topmost: bool) -> None:
        if value == "fail":
            verdicts[key] = "fail"
        elif topmost and key not in verdicts:
            verdicts[key] = value

    for index, value in enumerate(values("Authentication-Results")):
        for method, result in _AUTH_RESULT_RE.findall(value):  # softfail, neutral, none, temperror...: gray
            result = result.lower()
            worst(method.lower(), result if result in ("pass", "fail") else "gray", index == 0)
    for index, value in enumerate(values("Received-SPF")):
        word = value.strip().split(" ", 1)[0].lower() if value.strip() else ""
        worst("spf", "pass" if word == "pass" else "fail" if word == "fail" else "gray", index == 0)
    for value in values("X-Spam-Status"):
        if value.strip().lower().startswith("yes"):
            verdicts["spam"] = "fail"
            notes.append("X-Spam-Status=Yes")
    for value in values("X-Spam-Score"):
        try:
            score = float(value.strip().split()[0]) if value.strip() else None
        except ValueError:
            score = None
        if score is not None and score == score:  # not NaN
            notes.append(f"X-Spam-Score={score:g}")
            if score >= SPAM_SCORE_THRESHOLD:
                verdicts["spam"] = "fail"
    if not verdicts and not notes:
        return "unknown", ""
    trust, detail = judge_trust({k: v for k, v in verdicts.items() if v != "gray"}, "headers")
    extra = " ".join(notes)
    detail = " ".join(part for part in (detail or "headers:", extra) if part)
    return trust, detail[:300]


def _message_id(value: str | None) -> str:
    if not value:
        return ""
    match = re.search(r"<([^<>\s]{1,900})>", value)
    return match.group(1) if match else _one_line(value).strip("<>")[:900]


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except Exception:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type().lower()
    except Exception:
        return "text/plain"


def _param(part: Message, name: str) -> str:
    try:
        value: Any = part.get_param(name)
    except Exception:
        return ""
    if value is None:
        return ""
    if isinstance(value, tuple):
        value = email.utils.collapse_rfc2231_value(value)
    return str(value).strip().lower()


def _is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except Exception:
        return False


def _lenient_base64(encoded: bytes) -> bytes:
    """Decode base64 that may be truncated or carry junk: keep every complete group."""
    data = re.sub(rb"[^A-Za-z0-9+/]", b"", encoded)
    remainder = len(data) % 4
    if remainder == 1:
        data = data[:-1]
    elif remainder:
        data += b"=" * (4 - remainder)
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        return b""


def _payload_bytes(part: Message) -> bytes:
    try:
        payload: Any = part.get_payload()
    except Exception:
        return b""
    if not isinstance(payload, str):
        return b""
    try:
        cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    except Exception:
        cte = ""
    if cte == "base64":
        return _lenient_base64(payload.encode("ascii", "ignore"))
    try:
        data: Any = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    return payload.encode("utf-8", "surrogateescape")


def _part_text(part: Message) -> str:
    charset: str | None
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return _decode_bytes(_payload_bytes(part), charset)


def _children(part: Message) -> list[Message]:
    try:
        payload: Any = part.get_payload()
    except Exception:
        return []
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    return []


def _all_parts(msg: Message) -> Iterator[Message]:
    """Every part, depth-first, without entering attached messages (message/rfc822 etc.)."""
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        yield part
        if depth >= _MAX_DEPTH or _content_type(part).startswith("message/"):
            continue
        stack.extend((child, depth + 1) for child in reversed(_children(part)))


_BOUNDARY_LINE_RE = re.compile(rb"^--[^\s]{1,200}\s*$", re.MULTILINE)


def _salvage_multipart(data: bytes) -> tuple[list[str], list[str]]:
    """Text from a multipart body whose boundary is missing or never appears."""
    plain: list[str] = []
    html: list[str] = []
    chunks = _BOUNDARY_LINE_RE.split(data)
    for chunk in chunks:
        body = chunk.strip(b"\r\n")
        if not body.strip():
            continue
        head = body[:2000].lower()
        if re.match(rb"^[a-z0-9-]{1,76}:", head) and b"content-" in head:
            try:
                sub = email.message_from_bytes(body, policy=email.policy.compat32)
            except Exception:
                plain.append(_decode_bytes(body, None))
                continue
            ctype = _content_type(sub)
            if _is_attachment(sub) or not ctype.startswith("text/"):
                continue
            (html if ctype == "text/html" else plain).append(_part_text(sub))
        elif len(chunks) == 1 or not body.lstrip().lower().startswith(b"this is a multi-part message"):
            text = _decode_bytes(body, None)
            (html if re.search(r"<(?:html|body|div|p|br)\b", text, re.IGNORECASE) else plain).append(text)
    return plain, html


_PLAIN_TYPES = frozenset({"text/plain", "text/enriched", "text/markdown", "text/x-markdown"})


def _collect_text(msg: Message) -> tuple[str, list[str]]:
    """The text body (plain preferred, HTML converted otherwise) and every content type seen."""
    plain: list[str] = []
    html: list[str] = []
    types: list[str] = []
    for part in _all_parts(msg):
        ctype = _content_type(part)
        types.append(ctype)
        if ctype.startswith("multipart/"):
            if not _children(part):  # boundary missing or never found: salvage what is there
                more_plain, more_html = _salvage_multipart(_payload_bytes(part))
                plain.extend(more_plain)
                html.extend(more_html)
            continue
        if _is_attachment(part):
            continue
        if ctype in _PLAIN_TYPES or (part is msg and ctype.startswith("text/") and ctype != "text/html"):
            plain.append(_part_text(part))
        elif ctype == "text/html":
            html.append(_part_text(part))
    text = "\n\n".join(t for t in (p.strip() for p in plain) if t)
    if not text:
        text = "\n\n".join(t for t in (html_to_text(h) for h in html) if t)
    return _clean(text.replace("\r\n", "\n").replace("\r", "\n")).strip(), types


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------

_NO_REPLY_LOCAL_RE = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|no[-_.]?response|mailer[-_.]?daemon|postmaster)"
    r"(?:[-_.+].*)?$",
    re.IGNORECASE,
)
_DAEMON_LOCAL_RE = re.compile(r"^(?:mailer[-_.]?daemon|postmaster)(?:[-_.+].*)?$", re.IGNORECASE)
_AUTO_REPLY_SUBJECT_RE = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic)?[-\s]?(?:reply|response)|"
    r"autoreply|autosvar|abwesenheitsnotiz|automatische\s+antwort|abwesend|réponse\s+automatique|absence\s+du|"
    r"respuesta\s+automática|fuera\s+de\s+la\s+oficina|risposta\s+automatica|fuori\s+sede|"
    r"automatisch\s+antwoord|afwezigheidsbericht|i\s+am\s+out\s+of\s+the\s+office|i'm\s+out\s+of\s+the\s+office|"
    r"on\s+vacation|vacation\s+reply|away\s+from\s+(?:the\s+)?office)\b",
    re.IGNORECASE,
)
_DSN_SUBJECT_RE = re.compile(
    r"(?:undeliver|delivery\s+status\s+notification|returned\s+mail|mail\s+delivery\s+(?:failed|failure|system)|"
    r"delivery\s+failure|failure\s+notice|delivery\s+has\s+failed|could\s+not\s+be\s+delivered|"
    r"nicht\s+zustellbar|unzustellbar|non\s+remis|échec\s+de\s+la\s+remise|no\s+se\s+puede\s+entregar)",
    re.IGNORECASE,
)
_DSN_BODY_RE = re.compile(
    r"(?:^(?:final-recipient|original-recipient|diagnostic-code|reporting-mta)\s*:|^action\s*:\s*failed|"
    r"^status\s*:\s*[45]\.\d|could\s+not\s+be\s+delivered|delivery\s+to\s+the\s+following\s+recipient|"
    r"permanent\s+(?:fatal\s+)?error|user\s+unknown|address\s+not\s+found|mailbox\s+unavailable|"
    r"message\s+not\s+delivered|undeliverable)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class _Signals:
    header: Callable[[str], str | None]
    content_type: str
    report_type: str
    part_types: tuple[str, ...]
    subject: str
    from_address: str
    body: str


def _classify(s: _Signals) -> tuple[EmailKind, str]:
    local = s.from_address.rpartition("@")[0] if "@" in s.from_address else s.from_address
    # Complaints and bounces first: they are the strongest signals and often come from no-reply senders.
    if s.content_type == "multipart/report" and s.report_type == "feedback-report":
        return "complaint", "multipart/report feedback-report (ARF spam complaint)"
    if "message/feedback-report" in s.part_types:
        return "complaint", "message/feedback-report part (ARF spam complaint)"
    if s.content_type == "multipart/report" and s.report_type == "delivery-status":
        return "bounce", "multipart/report delivery status notification"
    if "message/delivery-status" in s.part_types or "message/global-delivery-status" in s.part_types:
        return "bounce", "message/delivery-status part (delivery status notification)"
    if s.header("X-Failed-Recipients"):
        return "bounce", "X-Failed-Recipients header (delivery failure)"
    if _DAEMON_LOCAL_RE.match(local) and (_DSN_SUBJECT_RE.search(s.subject) or _DSN_BODY_RE.search(s.body[:20000])):
        return "bounce", f"sent by {local.lower()} with delivery-failure wording"
    if s.content_type == "multipart/report":
        kind = s.report_type or "unknown"
        return "auto_reply", f"multipart/report {kind} (machine-generated report, e.g. a read receipt)"

    auto_submitted = (s.header("Auto-Submitted") or "").strip()
    if auto_submitted and auto_submitted.split(";")[0].strip().lower() != "no":
        return "auto_reply", f"Auto-Submitted: {_one_line(auto_submitted.split(';')[0])[:60]} header"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if s.header(name) is not None:
            return "auto_reply", f"{name} header"
    precedence = (s.header("Precedence") or "").strip().lower()
    if precedence in {"auto_reply", "auto-reply"}:
        return "auto_reply", f"Precedence: {precedence} header"
    auto_subject = _AUTO_REPLY_SUBJECT_RE.match(s.subject)
    if auto_subject:  # name the matched words only: the rest of a subject may carry personal data
        return "auto_reply", f"auto-reply subject ({_one_line(auto_subject.group(0))!r})"
    return_path = s.header("Return-Path")
    if return_path is not None and return_path.strip() == "<>":
        return "auto_reply", "Return-Path: <> (null sender: machine-generated mail)"

    if precedence in {"bulk", "junk", "list"}:
        return "bulk", f"Precedence: {precedence} header"
    if s.header("List-Id"):
        return "bulk", "List-Id header (mailing list)"
    if s.header("List-Unsubscribe"):
        return "bulk", "List-Unsubscribe header (newsletter or bulk mail)"

    if local and _NO_REPLY_LOCAL_RE.match(local):
        return "no_reply", f"no-reply sender ({local.lower()}@…)"
    return "customer", "no machine-mail signals: a person wrote this"


# --------------------------------------------------------------------------------------------
# Building InboundEmail
# --------------------------------------------------------------------------------------------


def _sha256_id(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _whitelist(get: Callable[[str], str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in CLASSIFICATION_HEADERS:
        value = get(name)
        if value is not None:
            out[name] = _one_line(value)[:_MAX_HEADER_CHARS]
    return out


def _from_message(msg: Message, raw: bytes) -> InboundEmail:
    def header(name: str) -> str | None:
        return _raw_header(msg, name)

    senders = _parse_address(msg, "From")
    from_email, from_name, from_problem = _sender(senders)
    from_local = next((addr for _, addr in senders if addr), "")
    if not from_local:
        from_local = (header("From") or "").strip().lower()
    to = tuple(addr for _, addr in _parse_address(msg, "To") if _valid_address(addr))
    reply_to = next((a for _, a in _parse_address(msg, "Reply-To") if _valid_address(a)), None)
    subject = _one_line(header("Subject") or "")
    full_text, types = _collect_text(msg)
    kind, reason = _classify(
        _Signals(
            header=header,
            content_type=_content_type(msg),
            report_type=_param(msg, "report-type"),
            part_types=tuple(types),
            subject=subject,
            from_address=from_email or from_local,
            body=full_text,
        )
    )
    new_text = extract_new_text(full_text)
    trust, trust_detail = _header_trust(lambda name: _all_values(msg, name))
    return InboundEmail(
        message_id=_message_id(header("Message-ID")) or _sha256_id(raw),
        from_email=from_email,
        from_name=from_name,
        to=to,
        subject=subject,
        new_text=new_text,
        full_text=full_text,
        kind=kind,
        kind_reason=reason,
        date=_parse_date(header("Date")),
        in_reply_to=_message_id(header("In-Reply-To")) or None,
        headers=_whitelist(header),
        reply_to=reply_to if reply_to and reply_to != from_email else None,
        references=_message_ids(header("References")),
        trust=trust,
        trust_detail=trust_detail,
        from_problem=from_problem,
    )


def _all_values(msg: Message, name: str) -> list[str]:
    """Every value of a header, top first, as text; never raises."""
    try:
        return [_clean(str(v)) for v in msg.get_all(name) or []]
    except Exception:
        try:
            return [_decode_rfc2047(str(v)) for k, v in msg.raw_items() if k.lower() == name.lower()]
        except Exception:
            return []


def _last_resort(raw: bytes) -> InboundEmail:
    """When even compat32 cannot parse the bytes: keep them as text so nothing is lost unseen."""
    text = _decode_bytes(raw, None).replace("\r\n", "\n")
    return InboundEmail(
        message_id=_sha256_id(raw),
        from_email="",
        from_name=None,
        to=(),
        subject="",
        new_text=text.strip(),
        full_text=text.strip(),
        kind="customer",
        kind_reason="unparseable message: treated as text from an unknown sender",
        date=None,
        in_reply_to=None,
        headers={},
    )


def parse_mime(raw: bytes) -> InboundEmail:
    """Decode and classify RFC 5322 bytes. Never raises, whatever the bytes."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise TypeError("parse_mime takes the raw message as bytes")
    data = bytes(raw)
    for policy in (email.policy.default, email.policy.compat32):
        try:
            msg = email.message_from_bytes(data, policy=policy)
            return _from_message(msg, data)
        except Exception:
            continue
    try:
        return _last_resort(data)
    except Exception:
        return InboundEmail("sha256:" + hashlib.sha256(data).hexdigest(), "", None, (), "", "", "",
                            "customer", "unparseable message", None, None, {})  # fmt: skip


# --------------------------------------------------------------------------------------------
# Postmark
# --------------------------------------------------------------------------------------------


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_postmark(payload: dict[str, Any]) -> InboundEmail:
    """Postmark's inbound webhook JSON. ``RawEmail`` (when the stream is set to include it) is the
    most faithful source; otherwise the parsed fields are used."""
    if not isinstance(payload, dict):
        raise ValueError("A Postmark inbound payload must be a JSON object.")
    postmark_headers: list[tuple[str, str]] = []
    for item in _list(payload.get("Headers")):
        if isinstance(item, dict):
            postmark_headers.append((_str(item.get("Name")), _decode_rfc2047(_str(item.get("Value")))))

    def header(name: str) -> str | None:
        for key, value in postmark_headers:
            if key.lower() == name.lower():
                return value
        return None

    def header_values(name: str) -> list[str]:
        return [value for key, value in postmark_headers if key.lower() == name.lower()]

    trust, trust_detail = _header_trust(header_values)

    postmark_id = _str(payload.get("MessageID")).strip()
    raw_email = payload.get("RawEmail")
    if isinstance(raw_email, str) and raw_email.strip():
        raw = _to_bytes(raw_email)
        parsed = parse_mime(raw)
        if trust != "unknown" or trust_detail:  # Postmark's own headers (its spam check) describe the raw mail
            parsed = replace(parsed, trust=trust, trust_detail=trust_detail)
        if "Message-ID" not in parsed.headers and (header("Message-ID") or postmark_id):
            parsed = replace(parsed, message_id=_message_id(header("Message-ID")) or f"postmark:{postmark_id}")
        if parsed.date is None:
            parsed = replace(parsed, date=_parse_date(_str(payload.get("Date"))))
        return parsed

    from_full_value = payload.get("FromFull")
    from_full: dict[str, Any] = from_full_value if isinstance(from_full_value, dict) else {}
    candidates = [(_str(from_full.get("Name")), _str(from_full.get("Email")).strip())] if from_full.get("Email") \
        else []
    candidates += _addresses_from_string(_str(payload.get("From")))
    from_email, from_name, from_problem = _sender(candidates)
    from_name = from_name or _one_line(_str(from_full.get("Name"))) or None
    to: list[str] = []
    for item in _list(payload.get("ToFull")):
        if isinstance(item, dict) and _valid_address(_str(item.get("Email")).strip().lower()):
            to.append(_str(item.get("Email")).strip().lower())
    if not to:
        to = [a for _, a in _addresses_from_string(_str(payload.get("To"))) if _valid_address(a)]
    subject = _one_line(_decode_rfc2047(_str(payload.get("Subject"))))
    full_text = _str(payload.get("TextBody")).replace("\r\n", "\n").strip()
    if not full_text and _str(payload.get("HtmlBody")):
        full_text = html_to_text(_str(payload.get("HtmlBody")))
    full_text = _clean(full_text)
    content_type = (header("Content-Type") or "").lower()
    ctype = content_type.split(";")[0].strip()
    match = re.search(r"report-type\s*=\s*\"?([\w-]+)", content_type)
    kind, reason = _classify(
        _Signals(
            header=header,
            content_type=ctype,
            report_type=match.group(1) if match else "",
            part_types=(),
            subject=subject,
            from_address=from_email or _str(payload.get("From")).strip().lower(),
            body=full_text,
        )
    )
    stripped_reply = _clean(_str(payload.get("StrippedTextReply"))).strip()
    new_text = extract_new_text(stripped_reply or full_text)
    reply_to = next((a for _, a in _addresses_from_string(_str(payload.get("ReplyTo"))) if _valid_address(a)), None)
    message_id = _message_id(header("Message-ID"))
    if not message_id:
        message_id = (
            f"postmark:{postmark_id}"
            if postmark_id
            else _sha256_id(json.dumps(payload, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
        )
    return InboundEmail(
        message_id=message_id,
        from_email=from_email,
        from_name=from_name,
        to=tuple(to),
        subject=subject,
        new_text=new_text,
        full_text=full_text,
        kind=kind,
        kind_reason=reason,
        date=_parse_date(_str(payload.get("Date")) or header("Date")),
        in_reply_to=_message_id(header("In-Reply-To")) or None,
        headers=_whitelist(header),
        reply_to=reply_to if reply_to and reply_to != from_email else None,
        references=_message_ids(header("References")),
        trust=trust,
        trust_detail=trust_detail,
        from_problem=from_problem,
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _to_bytes(text: str) -> bytes:
    """A JSON string carrying raw MIME back to bytes (undecodable bytes survive as surrogate escapes)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


# --------------------------------------------------------------------------------------------
# Amazon SES through SNS
# --------------------------------------------------------------------------------------------


def unwrap_sns_envelope(body: dict[str, Any]) -> dict[str, Any]:
    """The SES notification inside an SNS HTTP delivery (``Type: Notification``, ``Message`` a JSON string)."""
    if not isinstance(body, dict):
        raise ValueError("The SNS message body must be a JSON object.")
    kind = body.get("Type")
    if kind != "Notification":
        if kind in {"SubscriptionConfirmation", "UnsubscribeConfirmation"}:
            raise ValueError(f"This SNS message is a {kind}, not a Notification: it carries no email.")
        raise ValueError(f"This is not an SNS notification (Type is {kind!r}, expected 'Notification').")
    message = body.get("Message")
    if isinstance(message, dict):
        return message
    if not isinstance(message, str) or not message.strip():
        raise ValueError("The SNS notification has no Message to read.")
    try:
        inner = json.loads(message)
    except ValueError as exc:
        raise ValueError(f"The SNS notification's Message is not valid JSON ({exc.args[0]}).") from exc
    if not isinstance(inner, dict):
        raise ValueError("The SNS notification's Message is JSON but not an object.")
    return inner


def parse_ses_notification(notification: dict[str, Any]) -> InboundEmail | None:
    """Parse the email carried in an SES receipt notification.

    Returns None when the notification holds no content (an S3 action, or mail over SNS's
    150 KB limit): the caller fetches the message from S3 and calls ``parse_mime`` itself.
    """
    if not isinstance(notification, dict):
        raise ValueError("An SES notification must be a JSON object.")
    content = notification.get("content")
    if content is None or content == "":
        return None
    if not isinstance(content, str):
        raise ValueError("The SES notification's content is not a string.")
    receipt = notification.get("receipt") if isinstance(notification.get("receipt"), dict) else {}
    action = receipt.get("action") if isinstance(receipt, dict) and isinstance(receipt.get("action"), dict) else {}
    encoding = str((action or {}).get("encoding") or "UTF8").upper()
    if encoding == "BASE64":
        try:
            raw = base64.b64decode("".join(content.split()), validate=False)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("The SES notification says its content is BASE64, but it does not decode.") from exc
    elif encoding in {"UTF8", "UTF-8"}:
        raw = _to_bytes(content)
    else:
        raise ValueError(
            f"The SES notification uses an unknown content encoding {encoding!r} (expected UTF8 or BASE64)."
        )
    parsed = parse_mime(raw)
    mail = notification.get("mail") if isinstance(notification.get("mail"), dict) else None
    ses_id = str(mail.get("messageId") or "") if isinstance(mail, dict) else ""
    if "Message-ID" not in parsed.headers and ses_id:
        parsed = replace(parsed, message_id=f"ses:{ses_id}")
    return with_ses_verdicts(parsed, notification)
