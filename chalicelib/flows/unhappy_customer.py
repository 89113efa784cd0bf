"""Unhappy customer: the owner is alerted (one text per open conversation, not one per message) and the
customer gets an honest automatic acknowledgement, within limits an attacker can't talk past.

An email's From line is the sender's to choose. So: no acknowledgement to a message that failed the
provider's sender checks (SPF/DKIM/DMARC) or was marked spam or a virus; none to a reply to our own
acknowledgement (mail loops); at most one per customer per reply promise, a few per sender a week, and a
shop-wide hourly limit. The acknowledgement never repeats the sender's subject or words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from ..domain import events as ev
from ..domain.cues import AT_RISK_REASON, BEREAVEMENT_REASON, DISTRESS_REASON, THREAT_HARM_REASON
from ..domain.decisions import AlertOwner, Decision, Note, SaveCustomer, SaveMemory, SendEmail, Suppress
from ..domain.escalation import NEW_BANK_REASON, PREMISES_REASON
from ..privacy import mask_pii
from .base import Flow, View
from .bookkeeping import UNTRUSTED, asks_to_opt_out

NAME = "unhappy_customer"
OUR_MESSAGE_ID_PREFIX = "warmline."  # Message-IDs of the emails Warmline sends: <warmline.<hash>@<domain>>


@dataclass(frozen=True)
class Config:
    enabled: bool
    acknowledge: bool
    template: str
    acks_per_hour: int
    acks_per_sender_per_week: int


def is_reply_to_us(event: ev.CustomerMessage, sender_domain: str) -> bool:
    ids = [event.in_reply_to or "", *event.references]
    suffix = "@" + sender_domain.lower()
    return any(str(i).strip("<> ").lower().startswith(OUR_MESSAGE_ID_PREFIX) and
               str(i).strip("<> ").lower().endswith(suffix) for i in ids if i)


def opt_out_reasons(view: View) -> tuple[str, ...]:
    """What Warmline did about a request to stop the emails, for the owner to read beside the reasons."""
    if view.escalation is None or not asks_to_opt_out(view.escalation):
        return ()
    if view.customer is not None and view.customer.consent == "unsubscribed":
        return ("Warmline sends them no more reminders or marketing; change their marketing consent in Shopify "
                "too",)
    return ("not unsubscribed automatically (the sender is not verified): if it is them, change their marketing "
            "consent in Shopify and Warmline follows",)


def hold_reasons(view: View) -> tuple[str, ...]:
    """That Warmline sends this customer nothing automatic (set by this message or earlier), beside the reasons."""
    if view.customer is not None and view.customer.automatic_off:
        return ("Warmline sends them no automatic email until you turn it back on",)
    if view.escalation is not None and AT_RISK_REASON in view.escalation.reasons:  # the sender failed the checks
        return ("their automatic emails were not turned off (the sender is not verified): if it is them, turn them "
                "off on this page",)
    return ()


def excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rsplit(" ", 1)[0] + "..."


def message(event: ev.CustomerMessage, view: View, config: Config, now: datetime) -> list[Decision]:
    if event.kind != "customer":
        return [Note(f"not answered: the message is a {event.kind.replace('_', ' ')}",
                     {"message_id": event.message_id})]
    escalation = view.escalation
    if view.reading is None or escalation is None:
        return [Note("no sentiment reading for the message")]
    why = "; ".join(escalation.reasons) or "nothing worrying"
    trust = event.trust
    if not event.from_email:  # the sender's address can't be written to: a person reads it, nobody replies
        if not escalation.at_least("alert"):
            return [Note(f"no alert, and no reply possible: {event.email_problem or 'no sender address'}")]
        return [AlertOwner(
            key=f"alert:{event.message_id}", customer_email=None, level="watch",
            headline=f"An upset-sounding email with an unusable sender address ({event.email_problem})",
            excerpt=mask_pii(excerpt(event.text)), reasons=escalation.reasons, recent_orders=(),
            score=view.reading.negative, reason="no automatic reply can go to that address; it waits in your inbox")]
    if trust in UNTRUSTED:
        detail = event.trust_detail or trust
        if not escalation.at_least("alert"):
            return [Note(f"message failed the sender checks ({detail}); no reply", {"message_id": event.message_id})]
        return [AlertOwner(
            key=f"alert:{event.message_id}", customer_email=event.from_email, level="watch",
            headline=f"An upset-sounding email that failed the sender checks ({detail})",
            excerpt=mask_pii(excerpt(event.text)),
            reasons=(*escalation.reasons, f"sender checks: {detail}", *opt_out_reasons(view), *hold_reasons(view)),
            recent_orders=(), score=view.reading.negative,
            reason="the sender could not be verified: no automatic reply, and no text; it waits in your inbox")]
    if not escalation.at_least("alert"):
        no_alert = Note(f"no alert: escalation level {escalation.level}",
                        {"reasons": why, "negative": f"{view.reading.negative:.2f}"})
        if not getattr(escalation, "inbox", False):
            return [no_alert]
        # e.g. a language the local engine cannot read: the owner reads it (inbox, never a text), no reply
        return [no_alert, AlertOwner(
            key=f"inbox:{event.message_id}", customer_email=event.from_email, level="watch",
            headline=f"A message for you to read: {event.subject[:80] or '(no subject)'}",
            excerpt=mask_pii(excerpt(event.text)), reasons=(*escalation.reasons, *opt_out_reasons(view)),
            recent_orders=(), reason=f"escalation {escalation.level}: {why}")]
    before = view.world.customer
    customer = view.customer_or_new(event.from_email)
    decisions: list[Decision] = []
    # One open conversation, one text: later messages join the same alert unless the level goes up.
    ongoing = before.conversation_alert if before is not None and before.is_upset(now) else None
    key = f"alert:{event.message_id}"
    if ongoing:
        key = ongoing + (":urgent" if escalation.level == "urgent" and not ongoing.endswith(":urgent") else "")
    if key != customer.conversation_alert:
        customer = replace(customer, conversation_alert=key)
        decisions.append(SaveCustomer(customer, "the open conversation is tracked under one owner alert"))
    orders = tuple(f"{o.name} ({o.total or '?'} {o.currency or ''}, {o.placed_at[:10]})".replace(" ,", ",")
                   for o in customer.orders[-3:])
    decisions.append(AlertOwner(
        key=key, customer_email=event.from_email, level=escalation.level,
        headline=f"{customer.first_name or event.from_email} needs a reply",
        excerpt=mask_pii(excerpt(getattr(escalation, "excerpt", "") or event.text)),
        reasons=(*escalation.reasons, *opt_out_reasons(view), *hold_reasons(view)),
        recent_orders=orders, score=view.reading.negative,
        reason=f"escalation {escalation.level}: {why}" + (" (joins the open conversation)" if ongoing else ""),
    ))
    if not config.acknowledge:
        return [*decisions, Note("automatic acknowledgements are turned off in the config")]
    return decisions + _acknowledge(event, view, config, customer, now)


# What no automatic acknowledgement may answer, and why (the owner writes, or decides not to):
_NO_AUTOMATIC_REPLY: Final = (
    # "My mother passed away last month...": an automatic "sorry things haven't gone right" would hurt
    (BEREAVEMENT_REASON, "the message mentions a bereavement: no automatic reply; the owner writes personally"),
    # "I'll come down to the shop and sort you out": "we're sorry, a person will reply within 24 hours" is the owner's
    # to promise or not
    (THREAT_HARM_REASON, "the message threatens the owner or staff: no automatic reply; the owner decides whether and "
                         "how to answer"),
    # "I don't really see the point of anything now": a form reply about "your order" would be the worst answer
    (DISTRESS_REASON, "the customer may be in crisis: no automatic reply; the owner writes personally, now"),
    # "Please don't email a receipt, he reads my emails": any email to this address may be read by the person they fear
    (AT_RISK_REASON, "the customer may not be safe at home and someone may read their email: no automatic reply; the "
                     "owner decides what, if anything, to send"),
    # "Please note our bank details have changed...": most likely a fraudster in a supplier's name; an automatic reply
    # would only tell them the mailbox is read
    (NEW_BANK_REASON, "the message asks for payment to new bank details: no automatic reply; the owner checks by "
                      "phone with whoever it claims to be from"),
    # "Your shop door is wide open and the alarm's going": a neighbour's warning, not a customer's complaint; "sorry
    # things haven't gone right with your order" would answer nothing they said
    (PREMISES_REASON, "the message warns of something happening at the premises: no automatic reply; the owner "
                      "answers"),
)


def _acknowledge(event: ev.CustomerMessage, view: View, config: Config, customer: Any,
                 now: datetime) -> list[Decision]:
    what = "automatic acknowledgement"
    key = f"ack:{event.message_id}"

    def suppress(code: Any, why: str) -> list[Decision]:
        return [Suppress(what, event.from_email, why, key=key, code=code, flow=NAME)]

    # "STOP EMAILING ME" gets no automatic email, however upset it sounds
    if view.escalation is not None and asks_to_opt_out(view.escalation):
        return suppress("unsubscribed", "the customer asked to stop receiving emails: no automatic reply; the "
                                        "owner answers if anyone does")
    for reason, why in _NO_AUTOMATIC_REPLY:
        if view.escalation is not None and reason in view.escalation.reasons:
            return suppress("not_applicable", why)
    # a message in a language the local engine cannot read (texted when it may name an emergency or a serious
    # problem): an English form reply to "mon fils a du mal à respirer" is no help; the owner answers, in their
    # language if they can
    if view.escalation is not None and any(r.endswith("local engine reads English") for r in view.escalation.reasons):
        return suppress("not_applicable", "the message is in a language Warmline cannot read: no automatic reply; "
                                          "the owner answers")
    sent = [datetime.fromisoformat(at) for at in customer.acknowledged]
    # SES replaces our Message-ID with its own (<...@<region>.amazonses.com>): a reply to one of those from a
    # customer we acknowledged this week is a reply to us, too.
    answers_ses = any(str(i).strip("<> ").lower().endswith(".amazonses.com")
                      for i in [event.in_reply_to or "", *event.references] if i)
    if is_reply_to_us(event, view.config.sender_email.split("@")[-1]) or (
            answers_ses and any(at > now - timedelta(days=7) for at in sent)):
        return suppress("mail_loop", "the message answers our own acknowledgement: no second automatic reply")
    promise = timedelta(hours=view.config.reply_promise_hours)
    if any(at > now - promise for at in sent):
        return suppress("mail_loop", f"already acknowledged this customer in the last "
                                     f"{view.config.reply_promise_hours} hours")
    if sum(1 for at in sent if at > now - timedelta(days=7)) >= config.acks_per_sender_per_week:
        return suppress("rate_limited", f"already {config.acks_per_sender_per_week} acknowledgements to this "
                                        "sender this week")
    memory, version = view.memory(NAME, "acks")
    recent = [at for at in memory.get("sent", []) if datetime.fromisoformat(at) > now - timedelta(hours=1)]
    if len(recent) >= config.acks_per_hour:
        return suppress("rate_limited", f"the shop-wide limit of {config.acks_per_hour} acknowledgements an hour "
                                        "was reached (an unusual burst: every message still reaches you)")
    kept = tuple(at for at in customer.acknowledged if datetime.fromisoformat(at) > now - timedelta(days=7))
    return [
        SendEmail(key=key, to=event.from_email, template=config.template, kind="acknowledgement", flow=NAME,
                  context={**view.brand(), "first_name": customer.first_name, "in_reply_to": event.message_id},
                  reason="an upset customer gets an honest, immediate acknowledgement while a person is alerted"),
        SaveCustomer(replace(customer, acknowledged=(*kept, now.isoformat())), "acknowledgement counted"),
        SaveMemory(NAME, "acks", {"sent": [*recent, now.isoformat()]}, version,
                   "counted toward the shop-wide acknowledgement limit"),
    ]


def memory(event: Any) -> tuple[str, ...]:
    return ("acks",) if isinstance(event, ev.CustomerMessage) and event.kind == "customer" else ()


FLOW: Flow[Config] = Flow(
    name=NAME, title="upset-customer alerts",
    summary="Texts you when a customer is upset (one text per conversation) and sends them an honest "
            "automatic acknowledgement.",
    config_type=Config, kind="acknowledgement", templates=("acknowledgement",),
    topics=("inbound email (SES or Postmark)",), memory=memory,
    handlers={ev.CustomerMessage: message},
)
