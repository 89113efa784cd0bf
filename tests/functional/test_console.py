"""The owner's console through the real Chalice routes on the local stack: sign-in, sessions, CSRF,
escaping, the reply path, held emails, and the week."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.message import Message
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import pytest
from chalice.test import Client

import app as app_module
from chalicelib.bootstrap import Services
from chalicelib.console import ROUTES
from chalicelib.owner.wiring import console_auth, owner_services
from tests.conftest import Clock, make_services, shared_json
from tests.functional.helpers import client_for, outbox, post_email, text_of

BASE = "http://127.0.0.1:8000"
SCRIPT = "<script>alert('pwned')</script>"

# Every owner page and action the console answers (its own table, so a new page is walked too), plus an
# unknown one; none may answer without a session.
OWNER_ROUTES = [(method, f"/console/{page}?k=x".replace("/?", "?")) for method, page in ROUTES] + [
    ("GET", "/console/nope"), ("POST", "/console/nope")]


def customer_email(message_id: str = "sam-1@mail.example", text: str | None = None, name: str = "Sam Baker",
                   sender: str = "sam@example.com") -> dict[str, Any]:
    payload: dict[str, Any] = shared_json("email/postmark/postmark-inbound-test-payload.json")
    body = text or ("Where is my order?? It's been 3 weeks and nobody answers my emails. "
                    "I want a full refund immediately or I'll dispute the charge.")
    full = body + "\n\nOn Mon, Rosie's Bakery wrote:\n> Thanks for your order!"
    payload.update(MessageID=message_id.split("@")[0], Subject="Still waiting", TextBody=full,
                   StrippedTextReply=body, HtmlBody="", ReplyTo="", From=sender, FromName=name,
                   FromFull={"Email": sender, "Name": name, "MailboxHash": ""},
                   Headers=[{"Name": "Message-ID", "Value": f"<{message_id}>"}])
    return payload


def tick(services: Services) -> None:
    services.extras["runner"].run_once()


def sign_in(client: Client, services: Services) -> str:
    """Follow a fresh one-time link as the owner would: open it, tap Sign in; returns the cookie header."""
    url = console_auth(services).signin_url()
    path = url.removeprefix(BASE)
    page = client.http.get(path)
    assert page.status_code == 200 and b"Sign in" in page.body
    params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    response = client.http.post("/console/signin", body="&".join(f"{k}={quote(v)}" for k, v in params.items()),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 303, response.body
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    return cookie.split(";")[0]


def csrf_of(body: bytes) -> str:
    found = re.search(rb'name="csrf" value="([^"]+)"', body)
    assert found, "every owner form carries a CSRF token"
    return found.group(1).decode()


def form_fields(body: bytes, action_path: str) -> dict[str, str]:
    html = body.decode()
    start = html.index(f'action="{action_path}')
    form = html[start:html.index("</form>", start)]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return {k: unescape(v) for k, v in fields.items()}


def post_form(client: Client, path: str, cookie: str, fields: dict[str, str]) -> Any:
    body = "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items())
    return client.http.post(path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "Cookie": cookie})


@pytest.fixture
def console(services: Services) -> Iterator[tuple[Client, Services]]:
    with client_for(services) as client:
        yield client, services


def test_every_owner_route_refuses_without_a_session(console: tuple[Client, Services]) -> None:
    client, _services = console
    for method, path in OWNER_ROUTES:
        for cookie in ({}, {"Cookie": "warmline_session=forged-session-id"}):
            if method == "GET":
                response = client.http.get(path, headers=cookie)
            else:
                response = client.http.post(path, body=b"csrf=x&action=y", headers={
                    "Content-Type": "application/x-www-form-urlencoded", **cookie})
            assert response.status_code == 401, (method, path, response.status_code)
            assert b"sign in" in response.body.lower()
            assert response.headers["X-Frame-Options"] == "DENY"


def test_signin_links_are_single_use_expire_and_cannot_be_forged(console: tuple[Client, Services],
                                                                 clock: Clock) -> None:
    client, services = console
    auth = console_auth(services)
    url = auth.signin_url()
    params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def post(p: dict[str, str]) -> Any:
        return client.http.post("/console/signin", body="&".join(f"{k}={quote(v)}" for k, v in p.items()),
                                headers=form)

    forged = {**params, "t": params["t"][:-4] + "0000"}
    assert post(forged).status_code == 403
    assert client.http.get(url.removeprefix(BASE).replace("n=", "n=x")).status_code == 403
    other_user = {**params, "u": "mallory"}
    assert post(other_user).status_code == 403
    # a token for another purpose (an unsubscribe link's) is refused
    foreign = {**params, "t": services.links.sign("unsubscribe", f"owner:{params['n']}", auth.links.REVIEW_FOR)}
    assert post(foreign).status_code == 403
    assert post(params).status_code == 303
    assert post(params).status_code == 403  # used once already
    late = {k: v[0] for k, v in parse_qs(urlparse(auth.signin_url()).query).items()}
    clock.advance(minutes=16)
    assert post(late).status_code == 403  # older than 15 minutes


def test_sessions_can_be_revoked_and_posts_need_the_csrf_token(console: tuple[Client, Services]) -> None:
    client, services = console
    cookie = sign_in(client, services)
    page = client.http.get("/console", headers={"Cookie": cookie})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    csrf = csrf_of(page.body)
    assert post_form(client, "/console/week/email", cookie, {"csrf": "wrong"}).status_code == 403
    # non-ASCII in the form: refused, not a 500
    assert post_form(client, "/console/week/email", cookie, {"csrf": "wr\u00f6ng \u20ac"}).status_code == 403
    assert post_form(client, "/console/week/email", cookie, {}).status_code == 403
    other = sign_in(client, services)
    assert post_form(client, "/console/signout-everywhere", cookie, {"csrf": csrf}).status_code == 200
    assert client.http.get("/console", headers={"Cookie": cookie}).status_code == 401
    assert client.http.get("/console", headers={"Cookie": other}).status_code == 401


def test_from_an_angry_email_to_one_threaded_personal_reply(console: tuple[Client, Services]) -> None:
    client, services = console
    assert post_email(client, customer_email()).status_code == 200
    tick(services)
    acknowledgement = outbox(services)
    assert len(acknowledgement) == 1
    cookie = sign_in(client, services)
    inbox = client.http.get("/console", headers={"Cookie": cookie})
    assert b"Sam Baker" in inbox.body and b"Where is my order" in inbox.body
    link = re.search(rb'href="(/console/item\?k=[^"]+)"', inbox.body)
    assert link is not None
    item_path = unescape(link.group(1).decode())
    item = client.http.get(item_path, headers={"Cookie": cookie})
    assert item.status_code == 200
    assert b"sam@example.com" in item.body and b"nobody answers my emails" in item.body
    assert b"Thanks for your order!" in item.body  # the quoted history, one tap away
    assert b"Sam," in item.body  # the suggested reply greets them by name
    fields = form_fields(item.body, "/console/item/reply")
    words = "Sam, I'm so sorry. I've found your parcel: it goes out today by courier, and I've refunded the postage."
    reply = {**fields, "subject": "Re: Still waiting", "text": words, "after": "pause", "days": "5"}
    done = post_form(client, unescape(re.search(r'action="(/console/item/reply[^"]+)"',
                                                item.body.decode()).group(1)), cookie, reply)  # type: ignore[union-attr]
    assert done.status_code == 303 and done.headers["Location"].startswith("/console?notice=sent")
    again = post_form(client, "/console/item/reply" + item_path.removeprefix("/console/item"), cookie, reply)
    assert again.status_code == 303 and "repeat" in again.headers["Location"]  # a double tap sends nothing more
    mails: list[Message] = [m for m in outbox(services) if "so sorry" in text_of(m)]
    assert len(outbox(services)) == len(acknowledgement) + 1 and len(mails) == 1
    mail = mails[0]
    assert mail["In-Reply-To"] == "<sam-1@mail.example>" and "<sam-1@mail.example>" in mail["References"]
    assert mail["From"].endswith("<hello@rosiesbakery.example>") and mail["To"] == "sam@example.com"
    assert mail["Auto-Submitted"] == "no"
    assert "automated" not in text_of(mail) and words in text_of(mail)
    # handled: out of the inbox, reminders paused five more days, and the log says who and why
    assert b"Sam Baker" not in client.http.get("/console", headers={"Cookie": cookie}).body
    customer = services.store.get_customer("sam@example.com")
    assert customer is not None and customer.is_upset(services.clock())
    log = services.log.recent()
    assert any(e["decision"] == "OwnerReply" and e["by"] == "owner" for e in log)
    assert any(e["decision"] == "OwnerHandled" and e["pause_days"] == 5 for e in log)


def test_a_script_in_a_customers_message_is_inert_on_every_page(console: tuple[Client, Services]) -> None:
    client, services = console
    post_email(client, customer_email(text=f"I want a refund now, this is terrible {SCRIPT}",
                                      name=f"Eve {SCRIPT}"))
    tick(services)
    cookie = sign_in(client, services)
    pages = ["/console", "/console/messages", "/console/week", "/console/held"]
    inbox = client.http.get("/console", headers={"Cookie": cookie})
    link = re.search(rb'href="(/console/item\?k=[^"]+)"', inbox.body)
    assert link is not None
    pages.append(unescape(link.group(1).decode()))
    for path in pages:
        page = client.http.get(path, headers={"Cookie": cookie})
        assert page.status_code == 200, path
        assert b"<script" not in page.body.lower(), path
        assert "script-src" not in page.headers["Content-Security-Policy"]  # no script may run at all
    item = client.http.get(pages[-1], headers={"Cookie": cookie})
    assert b"&lt;script&gt;" in item.body


def test_marking_not_upset_labels_the_alert_and_resumes_marketing(console: tuple[Client, Services]) -> None:
    client, services = console
    post_email(client, customer_email())
    tick(services)
    cookie = sign_in(client, services)
    inbox = client.http.get("/console", headers={"Cookie": cookie})
    item_path = unescape(re.search(rb'href="(/console/item\?k=[^"]+)"', inbox.body).group(1).decode())  # type: ignore[union-attr]
    item = client.http.get(item_path, headers={"Cookie": cookie})
    action = "/console/item/not-upset" + item_path.removeprefix("/console/item")
    assert post_form(client, action, cookie, form_fields(item.body, "/console/item/not-upset")).status_code == 303
    customer = services.store.get_customer("sam@example.com")
    assert customer is not None and not customer.is_upset(services.clock())
    week = owner_services(services).week()
    assert week.flagged == 1 and week.not_upset == 1 and week.precision == 0.0
    assert any(e["decision"] == "OwnerLabel" and e["outcome"] == "not_upset" for e in services.log.recent())


def test_held_emails_can_be_edited_then_approved_or_rejected(tmp_path: Path, clock: Clock) -> None:
    pilot = make_services(tmp_path, clock, pilot=True)
    with client_for(pilot) as client:
        post_email(client, customer_email())
        post_email(client, customer_email("kim-1@mail.example", sender="kim@example.com", name="Kim"))
        tick(pilot)
        assert outbox(pilot) == [] and len(pilot.store.held_emails()) == 2
        cookie = sign_in(client, pilot)
        held = client.http.get("/console/held", headers={"Cookie": cookie})
        links = [unescape(x.decode()) for x in re.findall(rb'href="(/console/held/item\?k=[^"]+)"', held.body)]
        assert len(links) == 2
        first = client.http.get(links[0], headers={"Cookie": cookie})
        assert b"This is an automated message" in first.body  # as the customer would see it
        fields = form_fields(first.body, "/console/held/approve")
        approve = "/console/held/approve" + links[0].removeprefix("/console/held/item")
        edited = {**fields, "text": "Hello! Rosie here: I've read your note and I'll write properly within the hour."}
        assert post_form(client, approve, cookie, edited).status_code == 303
        (mail,) = outbox(pilot)
        assert "Rosie here" in text_of(mail) and "automated message" in text_of(mail)
        second = client.http.get(links[1], headers={"Cookie": cookie})
        reject = "/console/held/reject" + links[1].removeprefix("/console/held/item")
        assert post_form(client, reject, cookie, form_fields(second.body, "/console/held/reject")).status_code == 303
        assert pilot.store.held_emails() == [] and len(outbox(pilot)) == 1
    pilot.extras["db"].close()
    app_module.use(None)


def test_week_page_draws_the_chart_and_the_digest_goes_to_the_owner(console: tuple[Client, Services]) -> None:
    client, services = console
    post_email(client, customer_email())
    post_email(client, customer_email("ann-1@mail.example", text="Thank you, the cake was lovely!",
                                      sender="ann@example.com", name="Ann"))
    tick(services)
    cookie = sign_in(client, services)
    week = client.http.get("/console/week", headers={"Cookie": cookie})
    assert week.status_code == 200 and b"<svg" in week.body and b"Messages read" in week.body
    assert post_form(client, "/console/week/email", cookie, {"csrf": csrf_of(week.body)}).status_code == 303
    digest = [m for m in outbox(services) if m["To"] == "rosie@rosiesbakery.example"]
    assert len(digest) == 1 and "Messages read: 2" in text_of(digest[0])


def test_review_links_from_alerts_expire_and_lead_into_the_console(console: tuple[Client, Services],
                                                                   clock: Clock) -> None:
    client, services = console
    post_email(client, customer_email())
    tick(services)
    (alert,) = services.extras["alerts"].entries()
    path = alert["review_url"].removeprefix(BASE)
    response = client.http.get(path)
    assert response.status_code == 303 and response.headers["Location"].startswith("/console/item?k=")
    assert client.http.get(response.headers["Location"]).status_code == 401  # the link alone reveals nothing
    clock.advance(days=8)
    assert client.http.get(path).status_code == 403


def test_the_owner_can_ask_for_a_link_by_text_and_email_a_few_times(console: tuple[Client, Services]) -> None:
    client, services = console
    refused = client.http.get("/console")
    assert refused.status_code == 401 and b"Text and email me a sign-in link" in refused.body
    asked = [client.http.post("/console/signin-link", body=b"", headers={
        "Content-Type": "application/x-www-form-urlencoded"}).status_code for _ in range(4)]
    assert asked == [200, 200, 200, 429]  # at most three every 15 minutes
    mails = [m for m in outbox(services) if m["To"] == "rosie@rosiesbakery.example"]
    texts = [a for a in services.extras["alerts"].entries() if a["key"].startswith("signin:")]
    assert len(mails) == 3 and len(texts) == 3
    link = re.search(r"http://127\.0\.0\.1:8000(/console/signin\?\S+)", text_of(mails[0]))
    assert link is not None
    page = client.http.get(link.group(1))
    assert page.status_code == 200 and b"Sign in" in page.body


def test_failed_deliveries_can_be_retried_from_the_console(console: tuple[Client, Services], clock: Clock) -> None:
    from chalicelib.ports import Delivery

    client, services = console
    services.extras["queue"].accept(Delivery("shopify:poison", "shopify", "orders/create", b"{not json", clock()))
    for _ in range(6):
        tick(services)
        clock.advance(hours=1)
    cookie = sign_in(client, services)
    page = client.http.get("/console/problems", headers={"Cookie": cookie})
    assert page.status_code == 200 and b"shopify:poison" in page.body
    fields = form_fields(page.body, "/console/problems/retry")
    assert post_form(client, "/console/problems/retry", cookie, fields).status_code == 303
    assert services.extras["queue"].dead_letters() == []


def test_the_owner_downloads_a_customers_data(console: tuple[Client, Services]) -> None:
    client, services = console
    post_email(client, customer_email())
    tick(services)
    cookie = sign_in(client, services)
    inbox = client.http.get("/console", headers={"Cookie": cookie})
    key = re.search(rb'href="/console/item\?k=([^"]+)"', inbox.body).group(1).decode()  # type: ignore[union-attr]
    item = client.http.get(f"/console/item?k={key}", headers={"Cookie": cookie})
    response = post_form(client, f"/console/item/export?k={key}", cookie, {"csrf": csrf_of(item.body)})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.body)
    assert data["email"] == "sam@example.com" and data["customers"] and data["owner_desk"]


def test_a_failed_send_keeps_the_email_held_and_says_so(tmp_path: Path, clock: Clock) -> None:
    pilot = make_services(tmp_path, clock, pilot=True)
    with client_for(pilot) as client:
        post_email(client, customer_email())
        tick(pilot)
        cookie = sign_in(client, pilot)
        held = client.http.get("/console/held", headers={"Cookie": cookie})
        link = unescape(re.findall(rb'href="(/console/held/item\?k=[^"]+)"', held.body)[0].decode())
        page = client.http.get(link, headers={"Cookie": cookie})
        outbox_adapter: Any = pilot.mailer

        def down(_message: Any) -> str:
            raise ConnectionError("mail service down")

        outbox_adapter.send = down
        approve = "/console/held/approve" + link.removeprefix("/console/held/item")
        response = post_form(client, approve, cookie, form_fields(page.body, "/console/held/approve"))
        assert response.status_code == 503 and b"try again" in response.body
        assert len(pilot.store.held_emails()) == 1  # still held, nothing lost
    pilot.extras["db"].close()
