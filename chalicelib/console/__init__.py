"""The owner's console: server-rendered pages over the owner services (chalicelib/owner).

Plain HTML forms, no JavaScript, mobile first. Every page but the sign-in exchange needs a
session; every POST carries the session's CSRF token; every page is rendered by Jinja2 with
autoescaping on (customer text is always text) and sent with the security headers below.
Handlers here know nothing of Chalice: app.py turns a `ConsoleRequest` into a `ConsoleReply`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlparse

from ..owner.auth import COOKIE, SESSION_FOR
from ..owner.services import Actor, OwnerActionError
from ..owner.wiring import console_auth, owner_services

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..bootstrap import Services

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = (
    ":root{--ink:#1d1d1f;--muted:#4a4a4f;--line:#d5d5da;--bg:#fff;--urgent:#a61b1b;--alert:#b35300;"
    "--watch:#285e8e;--ok:#1d6b35}*{box-sizing:border-box}body{margin:0;font:17px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}header{display:flex;flex-wrap:wrap;"
    "align-items:center;gap:.5rem 1rem;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:#f6f6f8}"
    ".brand{font-weight:700;color:var(--ink);text-decoration:none}nav{display:flex;gap:.2rem;flex-wrap:wrap}"
    "nav a{padding:.45rem .5rem;border-radius:.4rem;color:#1a4f86;text-decoration:none;min-height:44px;"
    "display:inline-flex;align-items:center}nav a[aria-current]{background:#dce8f5;color:#10365c;font-weight:600}"
    "main{padding:0 1rem 2rem;max-width:44rem;margin:0 auto}h1{font-size:1.35rem;margin:1rem 0 .6rem}"
    "h2{font-size:1.1rem;margin:1.4rem 0 .5rem}.cards{list-style:none;padding:0;margin:0}.card{border:1px solid "
    "var(--line);border-left:6px solid var(--watch);border-radius:.5rem;margin:.6rem 0}.card a{display:grid;"
    "grid-template-columns:auto 1fr;gap:.15rem .6rem;padding:.7rem .8rem;color:var(--ink);text-decoration:none}"
    ".card .who,.card .first,.card .why{grid-column:1/-1}.card .first{overflow:hidden;text-overflow:ellipsis;"
    "white-space:nowrap}.waited{color:var(--muted);font-size:.9rem;justify-self:end}.why{color:var(--muted);"
    "font-size:.95rem}.level-urgent{border-left-color:var(--urgent)}.level-alert{border-left-color:var(--alert)}"
    ".level-held{border-left-color:#6b4ea1}.pad{padding:.7rem .8rem;display:flex;flex-direction:column;gap:.3rem}"
    ".inline{display:inline}.badge{display:inline-block;font-size:.8rem;font-weight:700;"
    "text-transform:uppercase;letter-spacing:.03em;padding:.1rem .45rem;border-radius:.3rem;background:#e4e4ea;"
    "color:var(--ink)}.level-urgent .badge,.badge.level-urgent{background:var(--urgent);color:#fff}"
    ".level-alert .badge,.badge.level-alert{background:var(--alert);color:#fff}.message{white-space:pre-wrap;"
    "overflow-wrap:anywhere;background:#f6f6f8;border:1px solid var(--line);border-radius:.4rem;padding:.7rem}"
    ".quoted{margin-top:.5rem;color:var(--muted)}details summary{min-height:44px;display:flex;align-items:center;"
    "color:#1a4f86;cursor:pointer}.stack{display:flex;flex-direction:column;gap:.45rem;margin:.6rem 0}"
    "label{font-weight:600}fieldset{border:1px solid var(--line);border-radius:.4rem}fieldset label{font-weight:400;"
    "display:block;padding:.3rem 0}input,textarea{font:inherit;padding:.55rem;border:1px solid #8a8a92;"
    "border-radius:.4rem;width:100%}input[type=radio]{width:auto;margin-right:.4rem}input[type=number]{width:4.5rem}"
    "button{font:inherit;min-height:44px;padding:.55rem 1rem;border-radius:.5rem;border:1px solid #8a8a92;"
    "background:#fff;color:var(--ink)}button.primary{background:#1a4f86;border-color:#1a4f86;color:#fff;"
    "font-weight:600}button.danger{color:var(--urgent);border-color:var(--urgent)}button.link{border:0;"
    "background:none;color:#1a4f86;text-decoration:underline;padding:.3rem}.notice{background:#e3f4e8;"
    "border:1px solid #9fd1ad;color:var(--ok);padding:.6rem;border-radius:.4rem;margin-top:1rem}.done{color:"
    "var(--ok);font-weight:600}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem;"
    "border-bottom:1px solid var(--line);vertical-align:top}.log{padding-left:1.2rem}.log li{margin:.4rem 0}"
    "time{color:var(--muted);font-size:.9rem}.email{border:1px solid var(--line);border-radius:.5rem;padding:.6rem;"
    "margin:.6rem 0}.chart{margin:0}.chart svg{max-width:100%;height:auto}figcaption{color:var(--muted);"
    "font-size:.9rem}.figures dt{font-weight:600;margin-top:.5rem}.figures dd{margin:0}.suggestion{background:"
    "#fff7e0;border:1px solid #e8cf7a;padding:.6rem;border-radius:.4rem}footer{display:flex;gap:1rem;"
    "flex-wrap:wrap;padding:1rem;border-top:1px solid var(--line)}.empty{color:var(--muted)}"
)


def csp(*styles: str) -> str:
    """No script at all; only these inline style sheets (by hash); forms post to this site only."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles)
    return f"default-src 'none'; style-src {hashes}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"


CSP = csp(CSS)
LEVEL_LABEL = {"urgent": "urgent", "alert": "upset", "watch": "look", "held": "held", "none": "calm"}
NOTICES = {"sent": "Reply sent. The conversation is marked handled.", "handled": "Marked handled.",
           "not-upset": "Noted: not upset. Reminders to this customer resume.", "approved": "Approved and sent.",
           "rejected": "Rejected: it will not be sent.", "digest": "The weekly digest is on its way to you.",
           "repeat": "That was already done (nothing was sent twice).", "signed-in": "You're signed in.",
           "retried": "Queued again: it runs within a few minutes.", "discarded": "Discarded for good.",
           "automatic-off": "Automatic emails to this customer are off. Your own replies still go.",
           "automatic-on": "Automatic emails to this customer are back on."}


def security_headers(owner_page: bool = True, style: str | None = None) -> dict[str, str]:
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp(style) if style else CSP,
               "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
    if owner_page:
        headers["Cache-Control"] = "no-store"
    return headers


@dataclass
class ConsoleRequest:
    method: str
    page: str  # "" (inbox), "item", "item/reply", "held", "held/item", "held/approve", "week", "signin"...
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    https: bool = False


@dataclass
class ConsoleReply:
    status: int
    body: str
    headers: dict[str, str]


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def root_path(services: Services) -> str:
    """The path prefix of the deployed API (API Gateway's stage, e.g. "/dev"), from the configured base URL."""
    return urlparse(services.config.review_base_url).path.rstrip("/")


def render(services: Services, template: str, status: int = 200, *, session: dict[str, Any] | None = None,
           owner_page: bool = True, **context: Any) -> ConsoleReply:
    from markupsafe import Markup

    html = _env().get_template(template).render(
        css=Markup(CSS),
        shop=services.config.shop_name, root=root_path(services), signed_in=session is not None,
        when=_local_time(services.config.timezone),
        csrf=(session or {}).get("csrf", ""), **context)
    return ConsoleReply(status, html, security_headers(owner_page))


def _local_time(timezone: str) -> Callable[[Any], str]:
    """ISO time -> "Mon 18 Nov 14:05" in the shop's time zone (what the owner's clock says)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)

    def when(value: Any) -> str:
        try:
            return datetime.fromisoformat(str(value)).astimezone(zone).strftime("%a %d %b %H:%M")
        except (TypeError, ValueError):
            return ""

    return when


def message_page(services: Services, status: int, title: str, *paragraphs: str,
                 form: dict[str, Any] | None = None, owner_page: bool = True) -> ConsoleReply:
    return render(services, "message.html", status, title=title, paragraphs=paragraphs, form=form,
                  owner_page=owner_page)


def _redirect(services: Services, where: str, cookie: str | None = None) -> ConsoleReply:
    headers = {**security_headers(), "Location": root_path(services) + where}
    if cookie:
        headers["Set-Cookie"] = cookie
    return ConsoleReply(303, "", headers)


def _cookie(services: Services, value: str, https: bool, max_age: int) -> str:
    secure = "; Secure" if https or services.config.review_base_url.startswith("https://") else ""
    return (f"{COOKIE}={value}; Path={root_path(services) or ''}/console; Max-Age={max_age}; HttpOnly; "
            f"SameSite=Strict{secure}")


def _waited(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


# --- the dispatcher ----------------------------------------------------------------------------
def handle(services: Services, request: ConsoleRequest) -> ConsoleReply:
    auth = console_auth(services)
    if request.page == "signin":
        return _signin(services, request)
    if request.page == "signin-link" and request.method == "POST":
        budget = services.extras.get("alert_budget")
        sent = auth.send_link(services.mailer, getattr(budget, "inner", services.alerter), services.config)
        return message_page(services, 200 if sent else 429, "Check your phone" if sent else "Please wait",
                            "A sign-in link is on its way to the shop owner's phone and email. It works once, "
                            "for 15 minutes." if sent else "Several links were sent a moment ago: use the newest "
                            "one, or try again in 15 minutes.")
    session = auth.session(request.cookies.get(COOKIE))
    if session is None:
        return message_page(services, 401, "Please sign in",
                            "This page is for the shop's owner. Open a sign-in link to continue: ask for one "
                            "below (it goes to the owner's phone and email), or run 'warmline console-link'.",
                            form={"action": f"{root_path(services)}/console/signin-link", "fields": [],
                                  "button": "Text and email me a sign-in link"})
    if request.method == "POST" and not auth.csrf_ok(session, request.form.get("csrf")):
        return message_page(services, 403, "Please try again",
                            "This form has expired or did not come from your console. Go back, reload and retry.")
    actor = Actor(who=str(session.get("who", "owner")), why=f"console ({request.page or 'inbox'})")
    route = ROUTES.get((request.method, request.page))
    if route is None:
        return message_page(services, 404, "Not found", "There is no such page in your console.")
    try:
        return route(services, request, session, actor)
    except OwnerActionError as exc:
        return render(services, "message.html", 400, session=session, title="That didn't work",
                      paragraphs=[str(exc)], form=None)
    except Exception as exc:  # e.g. the mail service is down: nothing half-done is kept, the owner can retry
        import logging

        logging.getLogger("warmline.console").error("console %s %s failed: %s", request.method, request.page,
                                                    type(exc).__name__)
        return render(services, "message.html", 503, session=session, title="Please try again in a minute",
                      paragraphs=[f"Warmline could not finish that ({type(exc).__name__}). Nothing was sent twice; "
                                  "go back and try again."], form=None)


def _signin(services: Services, request: ConsoleRequest) -> ConsoleReply:
    params = {**request.query, **request.form}
    who, nonce, token = params.get("u", ""), params.get("n", ""), params.get("t", "")
    auth = console_auth(services)
    refused = ("This sign-in link doesn't work: it is altered, older than 15 minutes, or was used already. "
               "Ask for a new one ('warmline console-link').",)
    if not services.links.check("console-signin", f"{who}:{nonce}", token):
        return message_page(services, 403, "Sign-in link refused", *refused)
    if request.method == "GET":  # a mail scanner following the link must not use it up: confirm with a POST
        return message_page(services, 200, "Sign in to your console", "Tap to sign in on this device.",
                            form={"action": f"{root_path(services)}/console/signin",
                                  "fields": [("u", who), ("n", nonce), ("t", token)], "button": "Sign in"})
    session_id = auth.exchange(who, nonce, token)
    if session_id is None:
        return message_page(services, 403, "Sign-in link refused", *refused)
    services.log.record({"at": services.clock().isoformat(), "decision": "OwnerSignIn", "outcome": "signed_in",
                         "reason": "signed in to the console with a one-time link", "by": who})
    cookie = _cookie(services, session_id, request.https, int(SESSION_FOR.total_seconds()))
    return _redirect(services, "/console?notice=signed-in", cookie)


def _signout(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    console_auth(services).revoke(request.cookies.get(COOKIE, ""))
    reply = message_page(services, 200, "Signed out", "You're signed out on this device.")
    reply.headers["Set-Cookie"] = _cookie(services, "", request.https, 0)
    return reply


def _signout_all(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor
                 ) -> ConsoleReply:
    gone = console_auth(services).revoke_all()
    services.log.record({"at": services.clock().isoformat(), "decision": "OwnerSignOut", "outcome": "revoked",
                         "reason": f"signed out everywhere ({gone} sessions)", "by": actor.who})
    reply = message_page(services, 200, "Signed out everywhere", "Every device is signed out of your console.")
    reply.headers["Set-Cookie"] = _cookie(services, "", request.https, 0)
    return reply


def _notice(request: ConsoleRequest) -> str:
    return NOTICES.get(request.query.get("notice", ""), "")


def _inbox(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    rows = [{"key_param": quote(r.key.removeprefix("held:"), safe=""), "kind": r.kind, "level": r.level,
             "level_label": LEVEL_LABEL.get(r.level, r.level), "name": r.name, "first_line": r.first_line,
             "why": r.why, "waited": _waited(r.waited)} for r in owner_services(services).attention()]
    return render(services, "inbox.html", session=session, title="Needs you", page="inbox", rows=rows,
                  notice=_notice(request))


def _messages(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    rows = [{**m, "key_param": quote(m["_key"], safe=""), "level_label": LEVEL_LABEL.get(m.get("level", ""), ""),
             "first_line": (m.get("text") or "").strip().split("\n")[0][:160]}
            for m in owner_services(services).recent_messages()]
    return render(services, "messages.html", session=session, title="All customer mail", page="messages", rows=rows)


def _order_row(order: Any) -> dict[str, Any]:
    status = ("cancelled" if order.cancelled else "refunded" if order.refunded else "sent" if order.fulfilled
              else f"not sent yet ({order.financial_status or 'unpaid'})")
    return {"name": order.name, "placed_at": order.placed_at, "total": order.total, "currency": order.currency,
            "status": status, "promised": (order.promised_by or "")[:10] or "no promise"}


def _item(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    key = request.query.get("k", "")
    item = owner_services(services).item(key)
    original = str(item.get("subject") or "").strip()
    subject = original if original.lower().startswith("re:") else (f"Re: {original}" if original else "")
    return render(services, "item.html", session=session, title=item.get("name") or item.get("email") or "Customer",
                  page="item", item=item, key_param=quote(key, safe=""), orders=[_order_row(o) for o in item["orders"]],
                  decisions=item["decisions"][::-1], reasons="; ".join(item.get("reasons") or []) or item.get("why"),
                  level_label=LEVEL_LABEL.get(item.get("level", ""), ""), action_key=secrets.token_urlsafe(12),
                  reply_subject=subject, sender=services.config.sender_email, notice=_notice(request))


def _after(request: ConsoleRequest) -> tuple[bool, int | None]:
    if request.form.get("after") == "pause":
        try:
            days = int(request.form.get("days", ""))
        except ValueError:
            raise OwnerActionError("say for how many days (1 to 90) reminders stay paused") from None
        return False, days
    return True, None


def _done(services: Services, result: dict[str, Any], notice: str) -> ConsoleReply:
    return _redirect(services, f"/console?notice={'repeat' if result.get('repeated') else notice}")


def _reply(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    resume, days = _after(request)
    result = owner_services(services).reply(request.query.get("k", ""), request.form.get("text", ""), actor,
                                            _action(request), subject=request.form.get("subject") or None,
                                            resume_now=resume, pause_days=days)
    return _done(services, result, "sent")


def _handled(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    resume, days = _after(request)
    result = owner_services(services).mark_handled(request.query.get("k", ""), actor, _action(request),
                                                   resume_now=resume, pause_days=days)
    return _done(services, result, "handled")


def _not_upset(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    result = owner_services(services).not_upset(request.query.get("k", ""), actor, _action(request))
    return _done(services, result, "not-upset")


def _automatic(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor
               ) -> ConsoleReply:
    """Turn every automatic email to this item's customer off, or back on; back to the item."""
    key = request.query.get("k", "")
    owner = owner_services(services)
    item = owner.item(key)
    wanted = request.form.get("automatic", "")
    if wanted not in ("on", "off"):
        raise OwnerActionError("say whether automatic emails go on or off")
    if not item.get("email"):
        raise OwnerActionError("this item names no customer")
    owner.automatic_emails(item["email"], wanted == "on", actor, _action(request))
    return _redirect(services, f"/console/item?k={quote(key, safe='')}&notice=automatic-{wanted}")


def _action(request: ConsoleRequest) -> str:
    action = request.form.get("action", "")
    if not action or len(action) > 80:
        raise OwnerActionError("this form is incomplete; reload the page and try again")
    return f"console:{action}"


def _held(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    held = [{**h, "key_param": quote(h["key"], safe="")} for h in owner_services(services).held()]
    return render(services, "held.html", session=session, title="Held for your approval", page="held", held=held)


def _held_item(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    key = request.query.get("k", "")
    found = [h for h in owner_services(services).held() if h["key"] == key]
    if not found:
        raise OwnerActionError("this email is no longer held (approved, rejected, or deleted after a privacy request)")
    held = found[0]
    body = held["text"].rpartition("\n--\n")[0] or held["text"]
    return render(services, "held_item.html", session=session, title=held["subject"], page="held", held=held,
                  body=body.strip(), key_param=quote(key, safe=""), action_key=secrets.token_urlsafe(12),
                  sender_name=services.config.sender_name)


def _approve(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    text = request.form.get("text")
    result = owner_services(services).approve(request.query.get("k", ""), actor, _action(request), text=text)
    return _done(services, result, "approved")


def _reject(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    result = owner_services(services).reject(request.query.get("k", ""), actor, _action(request))
    return _done(services, result, "rejected")


def _week(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    from markupsafe import Markup

    from ..owner.week import week_svg

    week = owner_services(services).week()
    median = None if week.median_reply is None else _waited(week.median_reply)
    return render(services, "week.html", session=session, title="Your week", page="week", w=week,
                  svg=Markup(week_svg(week)), total=sum(week.messages), upset=sum(week.upset),
                  happy=sum(week.happy), median=median, suggestion=week.suggestion(),
                  precision=None if week.precision is None else f"{week.precision:.0%}", notice=_notice(request))


def _week_email(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    owner_services(services).send_weekly_digest(actor)
    return _redirect(services, "/console/week?notice=digest")


def _problems(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    error = ""
    try:
        letters = owner_services(services).dead_letter_list()
    except Exception as exc:  # e.g. no permission to read the dead-letter queue: say so, keep the page
        letters, error = [], f"Could not read the failed deliveries ({type(exc).__name__})."
    return render(services, "problems.html", session=session, title="Failed deliveries", page="problems",
                  letters=letters, error=error, action_key=secrets.token_urlsafe(12), notice=_notice(request))


def _retry(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    result = owner_services(services).retry_dead_letter(request.form.get("id", ""), actor, _action(request))
    return _redirect(services, f"/console/problems?notice={'repeat' if result.get('repeated') else 'retried'}")


def _discard(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    result = owner_services(services).discard_dead_letter(request.form.get("id", ""), actor, _action(request))
    return _redirect(services, f"/console/problems?notice={'repeat' if result.get('repeated') else 'discarded'}")


def _export(services: Services, request: ConsoleRequest, session: dict[str, Any], actor: Actor) -> ConsoleReply:
    """Everything stored about this customer, as a JSON download (e.g. to answer their data request)."""
    import json

    owner = owner_services(services)
    item = owner.item(request.query.get("k", ""))
    if not item.get("email"):
        raise OwnerActionError("this item names no customer to export")
    data = owner.export_customer(item["email"], actor)
    headers = {**security_headers(), "Content-Type": "application/json",
               "Content-Disposition": f'attachment; filename="{data["export_id"]}.json"'}
    return ConsoleReply(200, json.dumps(data, indent=2, default=str), headers)



# Every owner page and action (handler(services, request, session, actor)); each needs a session: the tests walk
# this table without one.
ROUTES: dict[tuple[str, str], Callable[..., ConsoleReply]] = {
    ("GET", ""): _inbox, ("GET", "item"): _item, ("POST", "item/reply"): _reply,
    ("POST", "item/handled"): _handled, ("POST", "item/not-upset"): _not_upset, ("GET", "held"): _held,
    ("GET", "held/item"): _held_item, ("POST", "held/approve"): _approve, ("POST", "held/reject"): _reject,
    ("GET", "week"): _week, ("POST", "week/email"): _week_email, ("GET", "messages"): _messages,
    ("GET", "problems"): _problems, ("POST", "problems/retry"): _retry, ("POST", "problems/discard"): _discard,
    ("POST", "item/export"): _export, ("POST", "item/automatic"): _automatic,
    ("POST", "signout"): _signout, ("POST", "signout-everywhere"): _signout_all,
}
