"""Closed sets of codes for metric dimensions: why a message was not sent, which flow, which kind.

A metric dimension value is billed as a new custom metric, so it must come from a small fixed
set, never from free text (a reason that names an order would create one metric per order).
The reason *text* stays in the decision log and the logs; metrics carry only these codes.

Policies may emit a code directly (`Suppress(..., reason_code=ReasonCode.QUIET_HOURS)` once the
flows rewrite adds the field); until then `reason_code(text)` maps the text at the metric edge,
with OTHER as the fallback, so an unknown text can never widen the set.
"""

from __future__ import annotations

from enum import StrEnum


class ReasonCode(StrEnum):
    """Why an email was not sent: the same closed set the guardrails and flows write (decisions.SuppressionCode)."""

    FLOW_OFF = "flow_off"
    NO_ADDRESS = "no_address"
    UNDELIVERABLE = "undeliverable"  # SES reported a hard bounce or a complaint
    UNSUBSCRIBED = "unsubscribed"
    NO_CONSENT = "no_consent"  # opt-in required and not given
    UPSET = "upset"  # never market to someone upset right now
    FREQUENCY_CAP = "frequency_cap"
    PURCHASED = "purchased"
    ALREADY_SENT = "already_sent"
    NOT_APPLICABLE = "not_applicable"  # e.g. a thank-you for a cancelled order
    UNTRUSTED_SENDER = "untrusted_sender"
    RATE_LIMITED = "rate_limited"
    MAIL_LOOP = "mail_loop"  # already acknowledged, or a reply to our own acknowledgement
    AUTOMATIC_OFF = "automatic_off"  # no automatic email to this customer until the owner turns it back on
    OTHER = "other"


class Flow(StrEnum):
    """Every flow's name (chalicelib/flows; a test keeps the two lists equal)."""

    PRIVACY = "privacy"
    ABANDONED_CART = "abandoned_cart"
    THANK_YOU = "thank_you"
    SHIPPING_NOTE = "shipping_note"
    LATE_ORDER = "late_order"
    CSAT = "csat"
    REFUND_NOTE = "refund_note"
    PAYMENT_FAILED = "payment_failed"
    DUNNING = "dunning"
    UNHAPPY_CUSTOMER = "unhappy_customer"
    COMPLAINT_SURGE = "complaint_surge"
    DISPUTES = "disputes"
    UNREADABLE_MAIL = "unreadable_mail"
    OTHER = "other"


class Kind(StrEnum):
    MARKETING = "marketing"
    SERVICE = "service"
    ACKNOWLEDGEMENT = "acknowledgement"
    PERSONAL = "personal"  # the owner's own reply from the console
    OTHER = "other"


# Free text (from older log entries or a caller without a code) is matched; first match wins.
_REASON_WORDS: tuple[tuple[ReasonCode, tuple[str, ...]], ...] = (
    (ReasonCode.AUTOMATIC_OFF, ("automatic emails to this customer are off",)),
    (ReasonCode.UNDELIVERABLE, ("undeliverable", "bounced", "complained", "complaint")),
    (ReasonCode.UNSUBSCRIBED, ("unsubscribed",)),
    (ReasonCode.NO_CONSENT, ("did not accept marketing", "opt-in", "opted in", "consent")),
    (ReasonCode.UPSET, ("upset", "unhappy")),
    (ReasonCode.PURCHASED, ("already bought", "already ordered", "purchased")),
    (ReasonCode.NOT_APPLICABLE, ("cancelled", "canceled")),
    (ReasonCode.FREQUENCY_CAP, ("frequency", "too many", " cap")),
    (ReasonCode.MAIL_LOOP, ("already acknowledged",)),
    (ReasonCode.FLOW_OFF, ("turned off", "disabled")),
    (ReasonCode.NO_ADDRESS, ("no email", "no address", "without an email")),
)

_FLOW_WORDS: tuple[tuple[Flow, tuple[str, ...]], ...] = (
    (Flow.ABANDONED_CART, ("cart", "checkout")),
    (Flow.THANK_YOU, ("thank",)),
    (Flow.PAYMENT_FAILED, ("payment",)),
    (Flow.UNHAPPY_CUSTOMER, ("acknowledg",)),
)


def reason_code(reason: str | ReasonCode | None) -> ReasonCode:
    """The closed code for a reason: a ReasonCode stays itself, free text is matched, else OTHER."""
    if isinstance(reason, ReasonCode):
        return reason
    text = (reason or "").strip().lower()
    try:
        return ReasonCode(text)
    except ValueError:
        pass
    for code, words in _REASON_WORDS:
        if any(word in text for word in words):
            return code
    return ReasonCode.OTHER


def flow_code(what: str | Flow | None) -> Flow:
    """The flow a message belongs to, from its template name or description ("abandoned-cart reminder 2")."""
    if isinstance(what, Flow):
        return what
    text = (what or "").strip().lower().replace("-", "_")
    try:
        return Flow(text)
    except ValueError:
        pass
    text = text.replace("_", " ")
    for code, words in _FLOW_WORDS:
        if any(word in text for word in words):
            return code
    return Flow.OTHER


def kind_code(kind: str | Kind | None) -> Kind:
    try:
        return Kind(str(kind or "").strip().lower())
    except ValueError:
        return Kind.OTHER


# Every value a metric dimension may take, by dimension name (the tests check emitted metrics against it).
DIMENSION_VALUES: dict[str, frozenset[str]] = {
    "reason": frozenset(c.value for c in ReasonCode),
    "flow": frozenset(c.value for c in Flow),
    "kind": frozenset(c.value for c in Kind),
    "service": frozenset({"warmline"}),
}
