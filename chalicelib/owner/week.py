"""The week in figures: what customers wrote and how they felt, what Warmline did, and how often it was right.

Figures come from the decision log and the owner's desk only, so the console's Week page, the
weekly digest email and `warmline eval --owner-labels` print the same numbers.
"""

from __future__ import annotations

import contextlib
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from .desk import Desk
from .services import ITEM, LABEL


@dataclass
class Week:
    start: datetime
    end: datetime
    days: list[str] = field(default_factory=list)  # local dates, oldest first
    messages: list[int] = field(default_factory=list)
    upset: list[int] = field(default_factory=list)
    happy: list[int] = field(default_factory=list)
    alerts: int = 0
    replies: int = 0
    median_reply: timedelta | None = None
    carts_recovered: int = 0
    cart_value: dict[str, float] = field(default_factory=dict)
    topics: list[tuple[str, int]] = field(default_factory=list)
    suppressions: list[tuple[str, int]] = field(default_factory=list)
    survey_scores: list[int] = field(default_factory=list)  # "how did we do?" answers this week, 1-5
    held_back_texts: int = 0
    flagged: int = 0
    not_upset: int = 0
    missed: int = 0
    threshold: float = 0.6

    @property
    def precision(self) -> float | None:
        judged = self.flagged
        return None if judged == 0 else (judged - self.not_upset) / judged

    def suggestion(self) -> str:
        p = self.precision
        if self.flagged >= 4 and p is not None and p < 0.7:
            return (f"You marked {self.not_upset} of {self.flagged} alerts as not upset: Warmline looks too eager. "
                    f"Try raising escalation.threshold from {self.threshold:.2f} to "
                    f"{min(self.threshold + 0.05, 1):.2f}.")
        if self.missed >= 2:
            return (f"You answered {self.missed} upset customers Warmline did not flag: it looks too lax. "
                    f"Try lowering escalation.threshold from {self.threshold:.2f} to "
                    f"{max(self.threshold - 0.05, 0.05):.2f}.")
        if self.flagged == 0:
            return "No alerts this week, so nothing to judge yet."
        return "Warmline's alerts matched your own judgement this week: no change needed."

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.date().isoformat(), "to": self.end.date().isoformat(),
            "messages_by_day": dict(zip(self.days, self.messages, strict=True)),
            "upset_by_day": dict(zip(self.days, self.upset, strict=True)),
            "alerts": self.alerts, "owner_replies": self.replies,
            "median_minutes_to_reply": None if self.median_reply is None else round(
                self.median_reply.total_seconds() / 60),
            "carts_recovered": self.carts_recovered, "carts_recovered_value": self.cart_value,
            "complaint_topics": dict(self.topics), "suppressions": dict(self.suppressions),
            "survey": {"answers": len(self.survey_scores),
                       "average": round(statistics.mean(self.survey_scores), 2) if self.survey_scores else None,
                       "low (1-2)": sum(1 for s in self.survey_scores if s <= 2)},
            "owner_labels": {"flagged": self.flagged, "not_upset": self.not_upset, "missed": self.missed,
                             "precision": None if self.precision is None else round(self.precision, 3)},
            "suggestion": self.suggestion(),
        }


def week_figures(log_entries: list[dict[str, Any]], desk: Desk, now: datetime, timezone: str = "UTC",
                 threshold: float = 0.6) -> Week:
    zone = ZoneInfo(timezone)
    end = now
    start = now - timedelta(days=7)
    local_today = now.astimezone(zone).date()
    days = [(local_today - timedelta(days=6 - i)).isoformat() for i in range(7)]
    week = Week(start, end, days, [0] * 7, [0] * 7, [0] * 7, threshold=threshold)

    def in_week(at: Any) -> datetime | None:
        try:
            when = datetime.fromisoformat(str(at))
        except ValueError:
            return None
        return when if start <= when <= end else None

    items = desk.items(ITEM)
    # What the owner's labels judge is the threshold: alerts about a customer's message. A "watch" waiting in
    # the inbox (a calm refund request, a language the engine can't read) is brought to them, not alerted,
    # so it is neither a false alarm when marked "not upset" nor counted among the alerts judged.
    watch_only = {i["_key"] for i in items if i.get("kind") == "message" and i.get("level") == "watch"}
    for item in items:
        when = in_week(item.get("at"))
        if when is None:
            continue
        if item.get("kind") == "message":
            day = when.astimezone(zone).date().isoformat()
            if day in days:
                i = days.index(day)
                week.messages[i] += 1
                # upset: read so, or alerted; a "watch" in the inbox (a calm refund request, a language the
                # engine can't read) is worth a look, not a sign of an upset customer
                if item.get("sentiment") in ("NEGATIVE", "MIXED") or (
                        item.get("flagged") and item.get("level") in ("alert", "urgent")):
                    week.upset[i] += 1
                elif item.get("sentiment") == "POSITIVE":
                    week.happy[i] += 1
        if item.get("flagged") and item["_key"] not in watch_only:
            week.flagged += 1
    for label in desk.items(LABEL):
        if in_week(label.get("at")) is None:
            continue
        if label.get("label") == "not_upset" and label["_key"] not in watch_only:
            week.not_upset += 1
        elif label.get("label") == "was_upset":
            week.missed += 1

    for cart in desk.items("recovered"):  # recorded by owner.recorder when a reminded cart is bought
        if in_week(cart.get("at")) is None:
            continue
        week.carts_recovered += 1
        if cart.get("total") and cart.get("currency"):
            with contextlib.suppress(ValueError):
                cur = str(cart["currency"])
                week.cart_value[cur] = round(week.cart_value.get(cur, 0.0) + float(cart["total"]), 2)
    topics: Counter[str] = Counter()
    suppressed: Counter[str] = Counter()
    surveys: dict[str, int] = {}
    waits: list[timedelta] = []
    for entry in log_entries:
        when = in_week(entry.get("at"))
        if when is None:
            continue
        outcome, decision = entry.get("outcome"), entry.get("decision")
        if outcome == "alerted":
            week.alerts += 1
            for reason in entry.get("reasons") or []:
                topics[_topic(str(reason))] += 1
        elif outcome == "suppressed" and decision == "Suppress":
            code = str(entry.get("code") or "")
            suppressed[SUPPRESSION_WORDS.get(code) or str(entry.get("reason", "")).split(":")[0][:60]
                       or "unknown"] += 1
        elif decision == "Note" and str(entry.get("survey_score", "")).isdigit():
            surveys[str(entry.get("survey_order"))] = int(entry["survey_score"])  # a changed answer: the last
        elif decision == "OwnerReply":
            week.replies += 1
        elif decision == "OwnerHandled" and entry.get("how") == "replied" and entry.get("first_alert_at"):
            with contextlib.suppress(ValueError):
                waits.append(when - datetime.fromisoformat(str(entry["first_alert_at"])))
    if waits:
        week.median_reply = timedelta(seconds=statistics.median(w.total_seconds() for w in waits))
    week.topics = [(t, n) for t, n in topics.most_common(5) if t]
    week.suppressions = suppressed.most_common(8)
    week.survey_scores = list(surveys.values())
    return week


SUPPRESSION_WORDS = {  # the closed set of suppression codes (domain.decisions), in the owner's words
    "flow_off": "flow turned off", "no_address": "no usable address", "undeliverable": "address bounced",
    "unsubscribed": "unsubscribed", "no_consent": "no marketing consent", "upset": "customer upset right now",
    "frequency_cap": "frequency cap", "purchased": "already bought", "already_sent": "already sent",
    "not_applicable": "not applicable", "untrusted_sender": "sender failed checks", "rate_limited": "rate limit",
    "mail_loop": "already acknowledged", "automatic_off": "automatic emails off for the customer", "other": "",
}

# The first match wins, so the more specific words come first ("careless or wrong delivery" before "wrong").
TOPIC_WORDS = (("health or safety", "health or safety"), ("refund", "refunds"),
               ("order was cancelled", "cancelled orders"), ("wants to cancel", "cancellations"),
               ("careless or wrong delivery", "deliveries"),
               ("the website, a link or a code", "the website"),
               ("the label or listing says it doesn't", "ingredients and labels"),
               ("did not place this order", "orders they didn't place"), ("late", "late or missing orders"),
               ("where is", "late or missing orders"), ("not arrived", "late or missing orders"),
               ("damaged", "damaged goods"), ("broken", "damaged goods"), ("wrong", "wrong item"),
               ("dispute", "disputes and chargebacks"), ("chargeback", "disputes and chargebacks"),
               ("charged", "payments"), ("payment", "payments"), ("billing", "payments"),
               ("rude", "service"), ("unhappy with the service", "service"), ("damaged or faulty", "damaged goods"),
               ("nobody", "no answer"), ("no answer", "no answer"), ("written before without an answer", "no answer"),
               ("legal action", "legal action and authorities"), ("bad review", "threats of a bad review"),
               ("threatens you or your staff", "threats to you or your staff"),
               ("another customer's personal details", "another customer's details sent out"),
               ("will not order again", "won't order again"), ("scam", "scams and fraud"),
               ("stop receiving emails", "requests to stop the emails"),
               ("stop the emails", "requests to stop the emails"), ("personal data", "requests about personal data"),
               ("vip", "VIP customers"))


def _topic(reason: str) -> str:
    """The complaint a reason names, in the owner's words; the customer's own words a reason quotes do not count
    ('thanks you for putting it right ("thank you for the refund")' is no refund complaint)."""
    lower = reason.lower().split(' ("', 1)[0]
    for word, topic in TOPIC_WORDS:
        if word in lower:
            return topic
    return ""


def week_svg(week: Week) -> str:
    """Messages per day as bars (upset in red at the bottom, happy in green above), drawn on the server."""
    width, height, pad, bottom = 360, 170, 8, 30
    top = max([*week.messages, 1])
    bar = (width - 2 * pad) / 7
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" width="100%" '
             f'aria-labelledby="chart-title"><title id="chart-title">Messages per day this week: red upset, green '
             f'happy, blue the rest</title>']
    scale = (height - bottom - 20) / top  # room above the tallest bar for its count
    for i, day in enumerate(week.days):
        x = pad + i * bar + 4
        total_h = week.messages[i] * scale
        upset_h = week.upset[i] * scale
        base = height - bottom
        parts.append(f'<rect x="{x:.1f}" y="{base - total_h:.1f}" width="{bar - 8:.1f}" height="{total_h:.1f}" '
                     f'fill="#9bb8d3"><title>{escape(day)}: {week.messages[i]} messages</title></rect>')
        happy_h = week.happy[i] * scale
        if happy_h:
            parts.append(f'<rect x="{x:.1f}" y="{base - upset_h - happy_h:.1f}" width="{bar - 8:.1f}" '
                         f'height="{happy_h:.1f}" fill="#2e7d4f"><title>{escape(day)}: {week.happy[i]} happy'
                         '</title></rect>')
        if upset_h:
            parts.append(f'<rect x="{x:.1f}" y="{base - upset_h:.1f}" width="{bar - 8:.1f}" height="{upset_h:.1f}" '
                         f'fill="#c0392b"><title>{escape(day)}: {week.upset[i]} upset</title></rect>')
        label = datetime.fromisoformat(day).strftime("%a")
        parts.append(f'<text x="{x + (bar - 8) / 2:.1f}" y="{height - 12}" font-size="12" text-anchor="middle" '
                     f'fill="#222">{label}</text>')
        if week.messages[i]:
            parts.append(f'<text x="{x + (bar - 8) / 2:.1f}" y="{base - total_h - 3:.1f}" font-size="11" '
                         f'text-anchor="middle" fill="#222">{week.messages[i]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def week_text(week: Week, shop_name: str) -> str:
    """The weekly digest email to the owner (plain text)."""
    d = week.as_dict()
    median = d["median_minutes_to_reply"]
    lines = [f"{shop_name}: your week with Warmline ({d['from']} to {d['to']})", "",
             f"Messages read: {sum(week.messages)} ({sum(week.upset)} upset, {sum(week.happy)} happy)",
             "By day: " + ", ".join(f"{datetime.fromisoformat(k):%a} {v}" for k, v in d["messages_by_day"].items()),
             f"Alerts: {week.alerts}; your replies: {week.replies}; median time to your reply: "
             + ("no replies yet" if median is None else f"{median} minutes"),
             f"Carts recovered after a reminder: {week.carts_recovered}"
             + ("".join(f" ({v:.2f} {k})" for k, v in week.cart_value.items())),
             "Most common complaints: " + (", ".join(f"{t} ({n})" for t, n in week.topics) or "none"),
             "Held back (and why): " + ("; ".join(f"{r} ({n})" for r, n in week.suppressions) or "nothing"),
             "Survey answers: " + (f"{len(week.survey_scores)}, average {statistics.mean(week.survey_scores):.1f} "
                                   f"of 5" if week.survey_scores else "none this week"),
             "How often Warmline was right, by your judgement: "
             + (f"{week.flagged} alerts, {week.not_upset} marked not upset (precision "
                f"{week.precision:.0%}), {week.missed} upset customers it missed" if week.precision is not None
                else f"no alerts; {week.missed} upset customers it missed"),
             "", week.suggestion()]
    return "\n".join(lines) + "\n"
