"""What the owner does about what Warmline flags: one application service for the console and the CLI.

Independent of HTTP and of the command line; it reaches storage only through the ports and the
Desk, so it runs the same on the local stack and on AWS. Every action:

- is idempotent by an action key (a double-tapped button, a retried request or a re-run command
  does it once): the first result is kept in the Desk and returned again;
- lands in the decision log with who did it and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..domain.cues import AT_RISK_REASON, DISTRESS_REASON, IMPERSONATION_REASON, PROBLEM_REASONS
from ..domain.decisions import SendEmail
from ..domain.state import CustomerState, OrderSummary
from ..flows.guardrails import usable_address
from ..ports import OutgoingEmail
from ..privacy import customer_ref, mask_email
from .desk import Desk

if TYPE_CHECKING:
    from ..bootstrap import Services

ITEM = "item"  # something the owner may act on: a customer's message, or an alert about a customer
ACTION = "action"  # the first result of each action key
LABEL = "label"  # the owner's own judgement of an alert: "not_upset" (false alarm) or "was_upset" (a miss)
ACTION_TTL = timedelta(days=30)
ITEM_TTL = timedelta(days=60)  # a message's text is kept this long for the owner, then goes (minimal data)
LEVEL_RANK = {"urgent": 0, "alert": 1, "watch": 2, "none": 3}
MAX_REPLY = 20_000


class OwnerActionError(Exception):
    """The action cannot be done: a plain sentence for the owner (CLI message, console notice)."""


@dataclass(frozen=True)
class Actor:
    """Who acts and why: recorded with every action."""

    who: str
    why: str = ""


@dataclass(frozen=True)
class Attention:
    """One row of the owner's inbox."""

    key: str
    kind: str  # "message" | "alert" | "held"
    level: str
    name: str
    email: str
    first_line: str
    why: str
    at: str
    waited: timedelta


class OwnerServices:
    def __init__(self, services: Services, desk: Desk, dead_letters: Any = None) -> None:
        self.services = services
        self.desk = desk
        self.dead_letters = dead_letters  # owner.dead_letters.LocalDeadLetters | SqsDeadLetters
        self.clock: Callable[[], datetime] = services.clock

    # --- reading ------------------------------------------------------------------------
    def attention(self) -> list[Attention]:
        """Open alerts, customers' flagged messages and held emails: most urgent first, then newest."""
        now = self.clock()
        rows: list[Attention] = []
        for item in self.desk.items(ITEM):
            if item.get("status") != "open" or not item.get("flagged"):
                continue
            rows.append(Attention(item["_key"], item.get("kind", "message"), item.get("level", "alert"),
                                  item.get("name") or item.get("email") or "a customer", item.get("email") or "",
                                  _first_line(item.get("text") or item.get("headline") or ""),
                                  "; ".join(item.get("reasons") or []) or str(item.get("why", "")),
                                  item.get("at", ""), _since(now, item.get("at"))))
        for held in self.held():
            rows.append(Attention(f"held:{held['key']}", "held", "held", held.get("to", ""), held.get("to", ""),
                                  held["subject"], f"held for your approval: {held.get('reason', '')}",
                                  held.get("held_at", ""), _since(now, held.get("held_at"))))
        rows.sort(key=lambda r: (LEVEL_RANK.get(r.level, 2), -_stamp(r.at)))
        return rows

    def recent_messages(self, limit: int = 30) -> list[dict[str, Any]]:
        """Every recent customer message, flagged or not (the owner may answer one Warmline did not flag)."""
        found = [i for i in self.desk.items(ITEM) if i.get("kind") == "message"]
        return sorted(found, key=lambda i: -_stamp(i.get("at")))[:limit]

    def item(self, key: str) -> dict[str, Any]:
        """One item with what the owner needs to answer: the customer, orders, decisions, a suggested reply."""
        item = self.desk.get(ITEM, key) if key and len(key) <= 500 else None
        if item is None:
            raise OwnerActionError(f"nothing needs attention under {key!r} (it may have been deleted after a "
                                   "privacy request)")
        email = item.get("email") or ""
        customer = self.services.store.get_customer(email) if email else None
        ref = customer_ref(email) if email else None
        decisions = [e for e in self.services.log.recent(2000) if ref and e.get("customer_ref") == ref][-30:]
        orders = sorted(customer.orders if customer else (), key=lambda o: o.placed_at, reverse=True)[:5]
        label = self.desk.get(LABEL, key)
        return {**item, "key": key, "customer": customer, "orders": orders, "decisions": decisions,
                "label": (label or {}).get("label"),
                "suggested_reply": suggest_reply(self.services.config, item, customer, orders, self.clock())}

    def held(self) -> list[dict[str, Any]]:
        out = []
        for held in self.services.store.held_emails():
            try:  # one broken template or record never hides the others
                email = self.render_held(held)
            except Exception as exc:
                out.append({**held, "subject": f"(cannot show this email: {type(exc).__name__}: {exc})"[:200],
                            "text": "", "from": self.services.config.sender_email, "broken": True})
                continue
            out.append({**held, "subject": email.subject, "text": email.text, "from": email.from_email})
        return out

    def render_held(self, held: dict[str, Any]) -> OutgoingEmail:
        return self.services.executor.renderer.email(_send_email(held))

    # --- acting -------------------------------------------------------------------------
    def _once(self, action_key: str, do: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Run an action once per key: a repeat returns the first result and does nothing."""
        if not action_key or len(action_key) > 300:
            raise OwnerActionError("every action needs a key of at most 300 characters")
        done = self.desk.get(ACTION, action_key)
        if done is not None:
            return {**done, "repeated": True}
        result = do()
        self.desk.put(ACTION, action_key, result, ttl=ACTION_TTL)
        return {**result, "repeated": False}

    def _log(self, decision: str, outcome: str, actor: Actor, key: str, reason: str, email: str | None = None,
             **extra: Any) -> None:
        entry: dict[str, Any] = {"at": self.clock().isoformat(), "decision": decision, "outcome": outcome,
                                 "key": key, "reason": reason, "by": actor.who, "why": actor.why, **extra}
        if email:
            entry["customer"] = mask_email(email)
            entry["customer_ref"] = customer_ref(email)
        self.services.log.record(entry)

    def reply(self, key: str, text: str, actor: Actor, action_key: str, *, subject: str | None = None,
              resume_now: bool = True, pause_days: int | None = None) -> dict[str, Any]:
        """Send the owner's own words, threaded under the customer's message, then mark the item handled."""
        body = text.replace("\r\n", "\n").strip()
        if not body:
            raise OwnerActionError("the reply is empty: write something to the customer first")
        if len(body) > MAX_REPLY:
            raise OwnerActionError(f"the reply is too long ({len(body)} characters; at most {MAX_REPLY})")
        item = self._item(key)
        email = item.get("email")
        if not email:
            raise OwnerActionError("this item has no customer address to reply to")
        _check_pause(pause_days)  # before anything is sent

        def do() -> dict[str, Any]:
            cfg = self.services.config
            headers = {"Auto-Submitted": "no"}  # RFC 3834: a person wrote this
            parent = str(item.get("message_id") or "")
            if "@" in parent and not any(c in parent for c in "<>\r\n "):
                refs = [r for r in item.get("references") or [] if _msgid_ok(r)][-10:]
                headers["In-Reply-To"] = f"<{parent}>"
                headers["References"] = " ".join(f"<{r}>" for r in [*refs, parent])
            original = str(item.get("subject") or "").strip()
            title = " ".join((subject or (original if original.lower().startswith("re:") else
                                          f"Re: {original}" if original else f"A note from {cfg.shop_name}")).split())
            message = OutgoingEmail(key=f"reply:{action_key}", to=email, subject=title[:200], text=body + "\n",
                                    from_email=cfg.sender_email, from_name=cfg.sender_name, reply_to=cfg.reply_to,
                                    headers=headers, kind="personal")
            message_id = self.services.mailer.send(message)
            if not item.get("flagged"):  # the owner answered someone Warmline did not flag: a miss, by their judgement
                self.desk.put(LABEL, key, {"label": "was_upset", "at": self.clock().isoformat(), "by": actor.who},
                              who=customer_ref(email), ttl=timedelta(days=400))
            self._log("OwnerReply", "sent", actor, key, "the owner replied in person", email,
                      message_id=message_id, reply_key=message.key, threaded=bool(headers.get("In-Reply-To")))
            self._close(key, item, actor, resume_now=resume_now, pause_days=pause_days, how="replied")
            return {"outcome": "sent", "message_id": message_id, "key": key}

        return self._once(action_key, do)

    def mark_handled(self, key: str, actor: Actor, action_key: str, *, resume_now: bool = True,
                     pause_days: int | None = None) -> dict[str, Any]:
        item = self._item(key)
        _check_pause(pause_days)

        def do() -> dict[str, Any]:
            self._close(key, item, actor, resume_now=resume_now, pause_days=pause_days, how="handled")
            return {"outcome": "handled", "key": key}

        return self._once(action_key, do)

    def not_upset(self, key: str, actor: Actor, action_key: str) -> dict[str, Any]:
        """A false alarm: record the owner's label and let marketing to this customer resume now."""
        item = self._item(key)

        def do() -> dict[str, Any]:
            email = item.get("email")
            self.desk.put(LABEL, key, {"label": "not_upset", "at": self.clock().isoformat(), "by": actor.who,
                                       "level": item.get("level")},
                          who=customer_ref(email) if email else None, ttl=timedelta(days=400))
            self._log("OwnerLabel", "not_upset", actor, key, "the owner says this customer was not upset", email)
            self._close(key, item, actor, resume_now=True, pause_days=None, how="not upset")
            return {"outcome": "not_upset", "key": key}

        return self._once(action_key, do)

    def automatic_emails(self, email: str, on: bool, actor: Actor, action_key: str) -> dict[str, Any]:
        """Turn every automatic email to one customer off (thank-yous, reminders, notes, surveys,
        acknowledgements: nothing goes until it is turned back on) or back on. The owner's own replies still go."""
        address = str(email or "").strip()
        if not usable_address(address):
            raise OwnerActionError(f"{address[:80]!r} is not an email address")

        def do() -> dict[str, Any]:
            now = self.clock()
            customer = self.services.store.get_customer(address)
            if on:
                if customer is None or not customer.automatic_off:
                    return {"outcome": "unchanged", "automatic": "on"}
                self.services.store.save_customer(replace(customer, automatic_off=None, automatic_off_why=""))
                self._log("AutomaticEmails", "on", actor, f"customer:{customer_ref(address)}",
                          "automatic emails to this customer turned back on", address,
                          off_since=customer.automatic_off)
                return {"outcome": "on", "automatic": "on"}
            if customer is not None and customer.automatic_off:
                return {"outcome": "unchanged", "automatic": "off"}
            why = f"turned off by {actor.who}" + (f": {actor.why}" if actor.why else "")
            base = customer if customer is not None else CustomerState(email=address)
            self.services.store.save_customer(replace(base, automatic_off=now.isoformat(),
                                                      automatic_off_why=why[:200]))
            self._log("AutomaticEmails", "off", actor, f"customer:{customer_ref(address)}",
                      "automatic emails to this customer turned off until turned back on", address)
            return {"outcome": "off", "automatic": "off"}

        return self._once(action_key, do)

    def _item(self, key: str) -> dict[str, Any]:
        if not key or len(key) > 500:
            raise OwnerActionError("no such item")
        item = self.desk.get(ITEM, key)
        if item is None:
            raise OwnerActionError(f"nothing needs attention under {key!r}")
        return item

    def _close(self, key: str, item: dict[str, Any], actor: Actor, *, resume_now: bool, pause_days: int | None,
               how: str) -> None:
        now = self.clock()
        email = item.get("email")
        _check_pause(pause_days)
        customer = self.services.store.get_customer(email) if email else None
        if customer is not None:
            until = (now + timedelta(days=pause_days)).isoformat() if pause_days else (
                now.isoformat() if resume_now else customer.upset_until)
            if until != customer.upset_until:
                self.services.store.save_customer(replace(customer, upset_until=until))
        self.desk.put(ITEM, key, {**item, "status": "handled", "handled_at": now.isoformat(),
                                  "handled_by": actor.who, "handled_how": how},
                      who=customer_ref(email) if email else None, ttl=ITEM_TTL)
        paused = f"reminders paused {pause_days} days" if pause_days else ("reminders resume now" if resume_now
                                                                         else "reminders unchanged")
        self._log("OwnerHandled", "handled", actor, key, f"marked handled ({how}); {paused}", email,
                  pause_days=pause_days, first_alert_at=item.get("at"), how=how)

    # --- held emails (pilot mode) ---------------------------------------------------------
    def _held(self, key: str) -> dict[str, Any]:
        for held in self.services.store.held_emails():
            if held["key"] == key:
                return held
        raise OwnerActionError(f"no held email with key {key!r} (see 'warmline held')")

    def approve(self, key: str, actor: Actor, action_key: str | None = None, *, text: str | None = None
                ) -> dict[str, Any]:
        """Send a held email (optionally with the owner's edited words), then release it."""
        def do() -> dict[str, Any]:
            held = self._held(key)
            _still_allowed(self.services.store.get_customer(str(held.get("to") or "")) if held.get("to") else None,
                           str(held.get("kind") or ""))
            message = self.render_held(held)
            edited = text is not None and text.replace("\r\n", "\n").strip() != _body_of(message.text).strip()
            if text is not None and edited:
                body = text.replace("\r\n", "\n").strip()
                if not body:
                    raise OwnerActionError("the edited email is empty")
                _head, sep, footer = message.text.rpartition("\n--\n")  # the automated footer stays
                message = replace(message, text=body + "\n" + (f"\n--\n{footer}" if sep else ""))
            # Send first, release after: a failed send keeps the email held; a repeat send of the key is a no-op.
            message_id = self.services.mailer.send(message)
            self.services.store.release_held(key)
            self._log("ApproveHeld", "sent", actor, key, "approved by the owner" + (" after editing" if edited else ""),
                      held.get("to"), message_id=message_id, edited=edited)
            return {"outcome": "sent", "message_id": message_id, "key": key, "edited": edited}

        return self._once(action_key or f"approve:{key}", do)

    def reject(self, key: str, actor: Actor, action_key: str | None = None) -> dict[str, Any]:
        def do() -> dict[str, Any]:
            held = self._held(key)
            self.services.store.release_held(key)
            self._log("RejectHeld", "suppressed", actor, key, "rejected by the owner", held.get("to"))
            return {"outcome": "rejected", "key": key}

        return self._once(action_key or f"reject:{key}", do)

    # --- dead letters -----------------------------------------------------------------------
    def dead_letter_list(self) -> list[dict[str, Any]]:
        if self.dead_letters is None:
            raise OwnerActionError("this stack has no dead-letter queue to read")
        letters: list[dict[str, Any]] = self.dead_letters.list()
        return letters

    def retry_dead_letter(self, delivery_id: str, actor: Actor, action_key: str | None = None) -> dict[str, Any]:
        def do() -> dict[str, Any]:
            if self.dead_letters is None or not self.dead_letters.retry(delivery_id, self.clock()):
                raise OwnerActionError(f"no dead letter with id {delivery_id!r}")
            self._log("RetryDeadLetter", "queued", actor, delivery_id, "the owner queued a failed delivery again")
            return {"outcome": "queued", "key": delivery_id}

        return self._once(action_key or f"retry:{delivery_id}:{self.clock():%Y%m%d%H%M}", do)

    def discard_dead_letter(self, delivery_id: str, actor: Actor, action_key: str | None = None) -> dict[str, Any]:
        def do() -> dict[str, Any]:
            if self.dead_letters is None or not self.dead_letters.discard(delivery_id):
                raise OwnerActionError(f"no dead letter with id {delivery_id!r}")
            self._log("DiscardDeadLetter", "discarded", actor, delivery_id, "the owner discarded a failed delivery")
            return {"outcome": "discarded", "key": delivery_id}

        return self._once(action_key or f"discard:{delivery_id}", do)

    # --- the week ---------------------------------------------------------------------------
    def week(self, now: datetime | None = None) -> Any:
        from .week import week_figures

        cfg = self.services.config
        return week_figures(self.services.log.recent(5000), self.desk, now or self.clock(), cfg.timezone,
                            cfg.escalation.threshold)

    def weekly_digest_if_due(self, now: datetime | None = None) -> bool:
        """From the ticker / scheduled sweeper: the digest goes out once a week, Monday from 08:00 local."""
        from zoneinfo import ZoneInfo

        cfg = self.services.config
        now = now or self.clock()
        local = now.astimezone(ZoneInfo(cfg.timezone))
        if not cfg.owner_email or local.weekday() != 0 or local.hour < 8:
            return False
        year, week, _ = local.isocalendar()
        result = self.send_weekly_digest(Actor("warmline", "the weekly digest"), now,
                                         key=f"weekly-digest:{year}-W{week:02d}")
        return not result["repeated"]

    def send_weekly_digest(self, actor: Actor, now: datetime | None = None, key: str | None = None
                           ) -> dict[str, Any]:
        """The week's figures by email to the owner; once a day at most (idempotent by date)."""
        from .week import week_text

        cfg = self.services.config
        if not cfg.owner_email:
            raise OwnerActionError("the config has no owner.alert_email to send the digest to")
        now = now or self.clock()
        week = self.week(now)
        key = key or f"weekly-digest:{now:%Y-%m-%d}"
        message = OutgoingEmail(key=key, to=cfg.owner_email, subject=f"Your week with Warmline: {cfg.shop_name}",
                                text=week_text(week, cfg.shop_name)
                                + f"\nYour console: {cfg.review_base_url}/console\n",
                                from_email=cfg.sender_email, from_name=cfg.sender_name, kind="service")

        def do() -> dict[str, Any]:
            message_id = self.services.mailer.send(message)
            self._log("WeeklyDigest", "sent", actor, key, "the owner's weekly digest")
            return {"outcome": "sent", "message_id": message_id, "key": key}

        return self._once(key, do)

    # --- privacy ------------------------------------------------------------------------------
    def export(self, export_id: str) -> dict[str, Any]:
        data = self.services.store.get_export(export_id)
        if data is None:
            raise OwnerActionError(f"no export named {export_id!r}; 'warmline log' shows the export ids")
        return data

    def export_customer(self, email: str, actor: Actor) -> dict[str, Any]:
        """Everything stored about one customer, now (and kept as an export the owner can pass on)."""
        email = email.strip().lower()
        if "@" not in email:
            raise OwnerActionError(f"{email!r} is not an email address")
        now = self.clock()
        data = {"requested_at": now.isoformat(), "email": email,
                **self.services.store.export_customer(email, None),
                "owner_desk": [{k: v for k, v in i.items() if k != "_key"} for i in self.desk.items(ITEM)
                               if i.get("email") == email]}
        export_id = f"owner-{customer_ref(email)}-{now:%Y%m%d%H%M%S}"
        self.services.store.save_export(export_id, data)
        self._log("ExportCustomerData", "exported", actor, export_id, "the owner exported a customer's data", email,
                  export_id=export_id)
        return {"export_id": export_id, **data}


# --- recording what needs attention ------------------------------------------------------------
def record_item(desk: Desk, key: str, data: dict[str, Any]) -> None:
    """Create or refresh an item, never reopening one the owner already handled."""
    existing = desk.get(ITEM, key)
    if existing is not None:
        data = {**data, **{k: existing[k] for k in ("status", "handled_at", "handled_by", "handled_how")
                           if k in existing}}
        if existing.get("flagged"):
            data["flagged"] = True
    email = data.get("email")
    desk.put(ITEM, key, data, who=customer_ref(email) if email else None, ttl=ITEM_TTL)


# --- the suggested reply ---------------------------------------------------------------------------
# What an escalation reason asks the owner to answer when nothing went wrong: (words in the reason, opening, what
# happens next). The first that fits, in this order.
_CALL_BACK = "asks you to call them back"
_ANSWERS: tuple[tuple[str, str, str], ...] = (
    # most often "is this email really from you?": say what we never ask for, and ask them to forward it
    ("mentions a scam",
     "Thank you for checking with me first. We never ask for card details or passwords by email, so please don't "
     "click the links or reply to that message.",
     "If you forward it to me, I'll look at it myself and let you know either way."),
    # a data-protection request: the law gives a month; say what happens, promise nothing the shop can't keep
    ("their personal data",
     "Thank you for your message. I've noted your request about your personal data and I'm dealing with it myself.",
     "I'll reply within a month at the latest, usually much sooner, with what we hold and what we've deleted (a few "
     "order records we have to keep for tax, and I'll tell you which)."),
    # "please call me back on 07700 900123": say when, roughly, and how to pick a better time
    (_CALL_BACK,
     "Thank you for your message: I'll give you a ring as soon as I can.",
     "If there's a better time to call, or a better number, just reply and tell me."),
    # "my son is allergic to nuts, can you make sure the cake is nut free?": an honest answer, never a guess
    ("mentions an allergy",
     "Thank you for letting me know about the allergy. I've read your message myself, and I'll check the recipe and "
     "how it's made and packed for you.",
     "I'll tell you honestly what we can and can't guarantee before anything is made or sent."),
)

def suggest_reply(config: Any, item: dict[str, Any], customer: CustomerState | None,
                  orders: list[OrderSummary], now: datetime) -> str:
    """A first draft in the shop's voice from what Warmline knows: the owner edits it before sending."""
    first = (customer.first_name if customer and customer.first_name else None) or _first_name(item.get("name"))
    greeting = {"formal": f"Dear {first}," if first else "Hello,",
                "playful": f"Hi {first}!" if first else "Hi there!"}.get(config.brand_voice,
                                                                          f"Hi {first}," if first else "Hi,")
    late = _late_order(config, orders, now)
    reasons = " ".join(item.get("reasons") or []).lower()
    named = set(item.get("reasons") or [])  # the escalation's reasons, as the owner reads them
    problem = bool(PROBLEM_REASONS & named)  # late, damaged, refund... named
    lines = [greeting, ""]
    closing = ["", "Tell me what works best for you and I'll take care of it today."]
    if DISTRESS_REASON in named:
        # "I don't really see the point of anything now": a person first, the order last; where help is, day or night.
        # (The owner checks the numbers for their country; the README says so.)
        lines.append("Thank you for writing to me, and please don't apologise. I've read your message myself, and I'm "
                     "so sorry you're going through such a hard time.")
        lines += ["", "You don't have to carry this on your own. If you feel you might not be safe, please call your "
                      "local emergency number now. And if you'd like to talk to someone who is there to listen, any "
                      "time: in the UK and Ireland, Samaritans on 116 123 (free, day or night); in the US, call or "
                      "text 988."]
        if problem or "wants to cancel" in reasons:
            lines += ["", "Please don't worry about the order: I'll take care of it."]
        closing = ["", "I'm here if you'd like to write again."]
    elif IMPERSONATION_REASON in named:
        # "someone claiming to be you asked for my bank details": thank them, say plainly it isn't the shop, and what
        # to do; the owner reports the fake and warns the other customers (the README says how)
        lines.append("Thank you so much for telling me. That isn't us: I never ask for payment or bank details by "
                     "text, direct message or a link, and I'd never sell through another account or website.")
        lines += ["", "Please don't pay them or reply. If you've already paid or shared your details, call your bank "
                      "now and tell them it was a scam. I'm reporting it and warning everyone else."]
        closing = ["", "Thank you again for looking out for us."]
    elif AT_RISK_REASON in named:
        # "He goes through the post... please don't email a receipt, he reads my emails": whatever is sent here may be
        # read by the person they fear. Short and plain: it says nothing about why, and asks nothing of them.
        lines.append("Thank you, that's all noted, and I'll take care of it exactly as you asked.")
        closing = []
    elif "thanks you for putting it right" in reasons:
        # "Thank you for replacing the loaf that had the bit of metal in it, the new one was perfect": nobody was hurt
        # (escalation says so only then) and the fix is done; thank them, and for a safety report say what happens next
        lines.append("Thank you so much for letting me know, and I'm so glad it's been put right.")
        if "health or safety" in reasons:
            lines += ["", "I'm sorry about the first one. I've noted what you found, and I'm checking everything else "
                          "made or packed with it so it can't happen again."]
        closing = ["", "If there's anything else at all, just tell me."]
    elif "threatens you or your staff" in reasons:
        # a threat of violence: no apology that rewards it and no offer; a boundary, and the way back to the order.
        # (The README tells the owner to call the police if they feel unsafe; this draft is for when they don't.)
        lines.append("I've read your message myself. I want to sort out whatever has gone wrong, but I can't accept "
                     "threats to me or my staff.")
        lines += ["", "If you tell me what happened with your order, calmly, I'll look into it and answer you today."]
        closing = []
    elif "another customer's personal details" in reasons:
        # a personal data breach: thank them, ask them to destroy it, say it is being looked into; promise no more
        lines.append("Thank you so much for telling me, and I'm sorry: that should never have happened. Could you "
                     "please delete or destroy it, and not pass it on? I'm looking into how it happened today.")
        lines += ["", "If anything of yours was affected, or you'd like your own order put right, tell me and I'll "
                      "do it straight away."]
        closing = []
    elif "health or safety" in reasons:  # first: nothing else matters as much
        lines.append("I'm so sorry, and I hope everyone is all right. Thank you for telling me straight away: I've "
                     "read your message myself and I'm looking into it today.")
        lines += ["", "If you still have it, could you keep the item and its packaging aside, and send me a photo "
                      "and your order number? That helps me check everything else made or packed with it.",
                  "", "I'll refund it in full, of course."]
    elif "mentions a bereavement" in reasons:  # grief, not a complaint: no apology for service, no sales
        lines.append("I'm so very sorry for your loss, and thank you for taking the time to let me know.")
        if "stop receiving emails" in reasons or "stop the emails" in reasons:
            lines += ["", "I'll make sure we send nothing more to that address."]
        if "wants to cancel" in reasons:
            lines += ["", "Of course I'll cancel it for you, and make sure nothing more is charged or sent."]
        if (PROBLEM_REASONS - {"wants to cancel"}) & set(item.get("reasons") or []):
            lines += ["", "I've read your message myself, and I'll put right what went wrong today."]
        closing = ["", "If there is anything else at all I can do, please just tell me."]
    elif "the label or listing says it doesn't" in reasons:  # "the vegan brownies have butter in them"
        lines.append("Thank you for telling me, and I'm so sorry. I'm checking the recipe and the label for that batch "
                     "myself today, and I'll tell you exactly what went into it.")
        lines += ["", "Whatever I find, I'll refund it in full."]
    elif "did not place this order" in reasons:  # a mistyped address at checkout, or someone else's card
        lines.append("Thank you for telling me, and I'm sorry for the confusion. You should only hear from us about an "
                     "order you placed, so I'm checking today how your address came to be on this one.")
        lines += ["", "If anything was charged to you for an order you didn't make, I'll refund it in full, and I'll "
                      "make sure you get no more emails about it."]
        closing = ["", "I'll let you know what I find."]
    elif late is not None:
        lines.append(f"I'm so sorry your order {late.name} hasn't reached you yet: that's not the service we "
                     "want you to have, and I've looked into it myself.")
        lines += ["", "Here is what I can do, whichever you prefer:",
                  "- send a replacement straight away, or",
                  "- refund the order in full."]
        goodwill = getattr(config.flows.get("late_order"), "goodwill", None)
        if goodwill is not None:  # the choices the config allows: the same goodwill the apology offers
            off = f"{goodwill.value:g}% off" if goodwill.kind == "percent" else f"{goodwill.value:.2f} off"
            lines.append(f"And either way, a code for {off} your next order, with my apologies.")
    elif "the mistake was theirs" in reasons and "dispute" not in reasons and "chargeback" not in reasons:
        # "I accidentally ordered twice, could you cancel one?": no apology owed, just the fix
        lines.append("No problem at all, these things happen! I'll sort it out for you today.")
        if "refund" in reasons:
            lines += ["", "The refund usually takes a few working days to reach your account."]
        closing = ["", "I'll let you know as soon as it's done."]
    elif "refund" in reasons or "dispute" in reasons or "chargeback" in reasons:
        lines.append("I'm sorry about this, and thank you for telling me. I've read your message myself and I'll "
                     "sort it out with you.")
        lines += ["", "If you'd like a refund, just say so and I'll do it today."]
    elif "asks to stop receiving emails" in reasons and not problem:
        lines.append("Of course: I've taken you off our emails, so no more reminders or marketing from us. Sorry "
                     "for the bother, and thank you for letting me know.")
        closing = []
    elif not problem and (answer := next(((first, then) for words, first, then in _ANSWERS if words in reasons
                                          # an urgent call back gets the urgent draft below ("I'm on it now")
                                          and not (words == _CALL_BACK and "says it is urgent" in reasons)), None)):
        lines += [answer[0], "", answer[1]]  # a question or request to answer, nothing gone wrong to apologise for
        closing = []
    elif "says it is urgent" in reasons and not problem:
        lines.append("Thank you for your message: I've read it myself and I'm on it now.")
        closing = ["", "If it's easier, tell me the best time to call you and I'll ring you today."]
    elif "worried" in reasons and not problem:
        # nothing has gone wrong yet: reassure with what Warmline knows, apologise for nothing
        lines += _reassurance(orders)
        closing = []
    else:
        lines.append("Thank you for writing, and I'm sorry things haven't been right. I've read your message "
                     "myself and I want to put it right.")
    lines += [*closing, "", config.sign_off or config.shop_name]
    return "\n".join(lines)


def _reassurance(orders: list[OrderSummary]) -> list[str]:
    """For a customer worried about their order (or that it won't arrive in time): where the newest order stands,
    as far as Warmline knows (delivered, on its way, or not sent yet), and a promise to keep them posted: no date
    is promised."""
    live = [o for o in orders if not o.cancelled and not o.refunded]
    newest = max(live, key=lambda o: o.placed_at, default=None)
    if newest is None:
        where = "I'm looking into your order myself right now."
    elif newest.delivered_at:
        where = f"the tracking for your order {newest.name} says it has been delivered. If it isn't with you, tell me."
    elif newest.fulfilled:
        where = f"your order {newest.name} has been sent and is on its way to you."
    else:
        where = f"your order {newest.name} hasn't been sent yet, and I'm looking at it myself right now."
    return [f"Thank you for checking with me: {where}", "",
            "I'll let you know as soon as anything changes, and if the date matters, tell me when you need it by "
            "and I'll do everything I can."]


def _late_order(config: Any, orders: list[OrderSummary], now: datetime) -> OrderSummary | None:
    for order in orders:
        if order.fulfilled or order.cancelled or order.refunded:
            continue
        promised = order.promised_by
        if promised is None and config.dispatch_within_days:
            try:
                promised = (datetime.fromisoformat(order.placed_at)
                            + timedelta(days=config.dispatch_within_days)).isoformat()
            except ValueError:
                promised = None
        try:
            if promised and datetime.fromisoformat(promised) < now:
                return order
        except ValueError:
            continue
    return None


# --- small helpers ------------------------------------------------------------------------------
def _still_allowed(customer: CustomerState | None, kind: str) -> None:
    """A held email waits for the owner, sometimes for days: what the customer asked meanwhile still holds."""
    if customer is None:
        return
    if customer.automatic_off:
        why = f" ({customer.automatic_off_why})" if customer.automatic_off_why else ""
        raise OwnerActionError(f"automatic emails to this customer are off{why}: discard this email, or turn their "
                               "automatic emails back on first if you are sure")
    if kind == "marketing" and customer.consent == "unsubscribed":
        raise OwnerActionError("the customer unsubscribed after this email was held: discard it")


def _check_pause(pause_days: int | None) -> None:
    if pause_days is not None and not 1 <= pause_days <= 90:
        raise OwnerActionError("keep reminders paused for 1 to 90 days")


def _send_email(held: dict[str, Any]) -> SendEmail:
    fields = {k: held[k] for k in ("key", "to", "template", "context", "kind", "reason", "checkout_token", "step")
              if k in held}
    return SendEmail(**fields)


def _body_of(text: str) -> str:
    head, sep, _tail = text.rpartition("\n--\n")
    return head + "\n" if sep else text


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""


def _first_name(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip() or "@" in name:
        return None
    return name.strip().split()[0]


def _msgid_ok(value: Any) -> bool:
    return isinstance(value, str) and "@" in value and not re.search(r"[<>\s]", value)


def _stamp(at: Any) -> float:
    try:
        return datetime.fromisoformat(str(at)).timestamp()
    except ValueError:
        return 0.0


def _since(now: datetime, at: Any) -> timedelta:
    try:
        return max(now - datetime.fromisoformat(str(at)), timedelta(0))
    except (ValueError, TypeError):
        return timedelta(0)
