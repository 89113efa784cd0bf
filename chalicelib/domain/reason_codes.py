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
    UNSUBSCRIBED = "unsubscribed"
    NO_CONSENT = "no_consent"  # opt-in required and not given
    UPSET_CUSTOMER = "upset_customer"  # never market to someone upset right now
    ALREADY_PURCHASED = "already_purchased"
    ORDER_CANCELLED = "order_cancelled"
    QUIET_HOURS = "quiet_hours"
    FREQUENCY_CAP = "frequency_cap"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    FLOW_DISABLED = "flow_disabled"
    NO_ADDRESS = "no_address"
    UNDELIVERABLE = "undeliverable"  # SES reported a hard bounce or a complaint
    OTHER = "other"


class Flow(StrEnum):
    ABANDONED_CART = "abandoned_cart"
    THANK_YOU = "thank_you"
    PAYMENT_FAILED = "payment_failed"
    ACKNOWLEDGEMENT = "acknowledgement"
    OTHER = "other"


class Kind(StrEnum):
    MARKETING = "marketing"
    SERVICE = "service"
    ACKNOWLEDGEMENT = "acknowledgement"
    OTHER = "other"


# First match wins; the words are those chalicelib/domain/policies.py writes today.
_REASON_WORDS: tuple[tuple[ReasonCode, tuple[str, ...]], ...] = (
    (ReasonCode.UNDELIVERABLE, ("undeliverable", "bounced", "complained", "complaint")),
    (ReasonCode.UNSUBSCRIBED, ("unsubscribed",)),
    (ReasonCode.NO_CONSENT, ("did not accept marketing", "opt-in", "opted in", "consent")),
    (ReasonCode.UPSET_CUSTOMER, ("upset", "unhappy")),
    (ReasonCode.ALREADY_PURCHASED, ("already bought", "already ordered", "purchased")),
    (ReasonCode.ORDER_CANCELLED, ("cancelled", "canceled")),
    (ReasonCode.QUIET_HOURS, ("quiet hours",)),
    (ReasonCode.FREQUENCY_CAP, ("frequency", "at most", "too many", " cap")),
    (ReasonCode.ALREADY_ACKNOWLEDGED, ("already acknowledged",)),
    (ReasonCode.FLOW_DISABLED, ("turned off", "disabled")),
    (ReasonCode.NO_ADDRESS, ("no email", "no address", "without an email")),
)

_FLOW_WORDS: tuple[tuple[Flow, tuple[str, ...]], ...] = (
    (Flow.ABANDONED_CART, ("cart", "checkout")),
    (Flow.THANK_YOU, ("thank",)),
    (Flow.PAYMENT_FAILED, ("payment",)),
    (Flow.ACKNOWLEDGEMENT, ("acknowledg",)),
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
