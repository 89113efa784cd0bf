"""The "how did we do?" pages a customer reaches from the survey email: one click records the score, a second
click changes it, and a comment box follows. Signed links only; nothing about anyone else is shown."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .domain.events import SurveyAnswered
from .flows.csat import score_labels, survey_link_payload
from .pages import _page
from .privacy import customer_ref

if TYPE_CHECKING:
    from .bootstrap import Services

LABELS = dict(score_labels())


def survey_page(services: Services, method: str, query: dict[str, str], form: dict[str, str]) -> tuple[int, str]:
    fields = {**query, **form}
    order_id, email, token = (fields.get("o") or "").strip(), (fields.get("e") or "").strip().lower(), fields.get("t")
    if not order_id or not email or not services.links.check("survey", survey_link_payload(order_id, email), token):
        return 400, _page("This link doesn't work", "<p>The survey link is incomplete or altered. You can always "
                          "reply to our email instead: a person reads every answer.</p>")
    score: int | None = None
    raw_score = fields.get("s")
    if method == "GET":
        if raw_score not in {str(n) for n in LABELS}:
            return 400, _page("Pick a score", "<p>Choose one of the five answers in the email.</p>")
        score = int(str(raw_score))
        comment = ""
    else:
        comment = (form.get("comment") or "").strip()[:2000]
        if not comment:
            return 200, _thanks(services, order_id, email, str(token), None, "Nothing to add? That's fine too.")
    event = SurveyAnswered(order_id=order_id, email=email, score=score, comment=comment,
                           occurred_at=services.clock())
    origin = {"delivery": f"survey:{customer_ref(email)}:{order_id}", "source": "survey", "topic": "survey/answer"}
    services.worker.handle(event, origin)
    if method == "GET":
        return 200, _thanks(services, order_id, email, str(token), score, None)
    return 200, _page("Thank you", "<p>Thank you for taking the time. A person at "
                      f"{escape(services.config.shop_name)} reads every word.</p>")


def _thanks(services: Services, order_id: str, email: str, token: str, score: int | None, note: str | None) -> str:
    shop = escape(services.config.shop_name)
    body = ""
    if score is not None:
        body += (f"<p>Thank you! You told {shop}: <strong>{escape(LABELS[score])}</strong> ({score} out of 5). "
                 "Clicked the wrong one? Pick another in the email; the last one counts.</p>")
        review = getattr(services.config.flows.get("csat"), "review_url", None)
        if score >= 4 and review:
            body += (f"<p>If you have a minute, a short review helps a small shop a lot: "
                     f"<a href='{escape(review, quote=True)}'>leave a review</a>.</p>")
    if note:
        body += f"<p>{escape(note)}</p>"
    hidden = "".join(f"<input type=hidden name={name} value='{escape(value, quote=True)}'>"
                     for name, value in (("o", order_id), ("e", email), ("t", token)))
    body += ("<form method=post><label for=comment>Anything you'd like to tell us? (optional)</label><br>"
             f"<textarea id=comment name=comment rows=5 cols=40 maxlength=2000></textarea><br>{hidden}"
             "<button type=submit>Send</button></form>")
    return _page("How did we do?", body)
