"""Small pages reached by signed links: unsubscribing (customers), an alert's review link and an export.

Both are reached through signed links (messages.LinkSigner); nothing here is
reachable by guessing a URL.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from .domain.events import ConsentChanged
from .privacy import customer_ref, mask_email

if TYPE_CHECKING:
    from .bootstrap import Services

STYLE = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "button{font-size:1rem;padding:.5rem 1rem}li{margin:.3rem 0}.why{color:#555}")


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{escape(title)}</title><style>{STYLE}</style><h1>{escape(title)}</h1>{body}</html>")


def unsubscribe_page(services: Services, method: str, query: dict[str, str]) -> tuple[int, str]:
    email, token = (query.get("e") or "").strip().lower(), query.get("t")
    if not email or not services.links.check("unsubscribe", email, token):
        return 400, _page("This link doesn't work", "<p>The unsubscribe link is incomplete or altered. "
                          "Reply to any of our emails and we'll take you off the list by hand.</p>")
    shop = escape(services.config.shop_name)
    if method == "GET":  # a link scanner must not unsubscribe anyone: confirm with a POST
        return 200, _page(f"Unsubscribe from {services.config.shop_name}",
                          f"<p>Stop reminder and marketing emails from {shop} to {escape(mask_email(email))}?</p>"
                          "<form method=post><button type=submit>Unsubscribe</button></form>")
    event = ConsentChanged(customer_id=None, email=email, subscribed=False, state="unsubscribed",
                           occurred_at=services.clock())
    services.worker.handle(event, {"delivery": f"unsubscribe:{customer_ref(email)}", "source": "unsubscribe",
                                   "topic": "unsubscribe"})
    return 200, _page("You're unsubscribed", f"<p>{shop} won't send you reminders or marketing email again. "
                      "You'll still hear from us about orders you place.</p>")


def review_page(services: Services, key: str, token: str | None) -> tuple[int, str, dict[str, str]]:
    """The link in an owner alert: a signed, expiring pointer to the item in the console (which needs a
    session; the link alone shows nothing about the customer)."""
    from urllib.parse import quote, unquote

    from .console import root_path, security_headers

    key = unquote(key)  # some front ends pass the path parameter still percent-encoded
    headers = security_headers(style=STYLE)
    if not services.links.check("review", key, token):
        return 403, _page("Not allowed", "<p>This review link is incomplete, altered or expired. Your console's "
                          "inbox has every alert.</p>"), headers
    headers["Location"] = f"{root_path(services)}/console/item?k={quote(key, safe='')}"
    return 303, "", headers


def export_json(services: Services, export_id: str, token: str | None) -> tuple[int, dict[str, Any]]:
    from urllib.parse import unquote

    export_id = unquote(export_id)
    if not services.links.check("export", export_id, token):
        return 403, {"error": "not allowed", "detail": "this export link is incomplete or altered"}
    data = services.store.get_export(export_id)
    if data is None:
        return 404, {"error": "not found", "detail": "no such export (it may have been deleted by a redact request)"}
    return 200, data
