"""The owner's console in Chromium at a phone's size (390x844): the whole path, as an owner would use it."""

from __future__ import annotations

import json
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from chalicelib.owner.wiring import console_auth
from tests.browser.conftest import Live, shot
from tests.conftest import TEST_SECRETS
from tests.functional.test_console import OWNER_ROUTES, customer_email

pytestmark = pytest.mark.browser
URGENT = ("I am furious. You charged me twice and my order never came. I want a full refund today or I will "
          "file a chargeback with my bank.")
MILD = "This is not good enough. I'm unhappy with how my order was handled."
HOSTILE = "<script>window.__pwned = 1; alert('pwned')</script><img src=x onerror=\"window.__pwned=2\">"


def post(live: Live, payload: dict[str, Any]) -> None:
    response = requests.post(f"{live.url}/webhooks/email/{TEST_SECRETS['WARMLINE_EMAIL_TOKEN']}",
                             data=json.dumps(payload), headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 200, response.text


def outbox(live: Live) -> list[Message]:
    return [message_from_bytes(p.read_bytes()) for p in live.services.extras["outbox"].messages()]


def body(message: Message) -> str:
    part = message.get_payload(decode=True)
    return part.decode() if isinstance(part, bytes) else str(message.get_payload())


def sign_in(page: Any, live: Live) -> None:
    page.goto(console_auth(live.services).signin_url())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live.url}/console?notice=signed-in")


def assert_labelled(page: Any) -> None:
    """An axe-style check: labels, names, language, tap targets, no sideways scroll, WCAG AA text contrast."""
    problems = page.evaluate(r"""() => {
      const out = [];
      if (!document.documentElement.lang) out.push('no lang');
      for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
        const labelled = el.labels && el.labels.length || el.getAttribute('aria-label');
        if (!labelled) out.push('unlabelled ' + el.outerHTML.slice(0, 80));
      }
      for (const b of document.querySelectorAll('button, a')) {
        if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push('nameless ' + b.outerHTML.slice(0, 80));
        const r = b.getBoundingClientRect();
        if (b.tagName === 'BUTTON' && r.height && r.height < 40) out.push('small target ' + b.textContent.trim());
      }
      if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('scrolls sideways');
      // WCAG AA contrast of every element that holds text of its own, against its painted background
      const channels = c => c.match(/[\d.]+/g).map(Number);
      const lum = c => { const [r, g, b] = channels(c).slice(0, 3).map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const paint = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
        const m = channels(c); if (m.length < 4 || m[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
      for (const el of document.querySelectorAll('body *')) {
        if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
        if (el.closest('svg')) continue;
        const s = getComputedStyle(el);
        if (s.display === 'none' || s.visibility === 'hidden') continue;
        const [a, b] = [lum(s.color), lum(paint(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && +s.fontWeight >= 700);
        const what = el.textContent.trim().slice(0, 30);
        if (ratio < (large ? 3 : 4.5)) out.push(`contrast ${ratio.toFixed(2)} ${el.tagName} ${what}`);
      }
      return out;
    }""")
    assert problems == [], problems


def test_from_an_angry_email_to_a_sent_threaded_reply_on_a_phone(live: Live, phone: Any) -> None:
    post(live, customer_email("sam-1@mail.example", text=URGENT))
    post(live, customer_email("kim-1@mail.example", text=MILD, sender="kim@example.com", name="Kim Lee"))
    post(live, customer_email("ann-1@mail.example", text="Thank you so much, the cake was lovely!",
                              sender="ann@example.com", name="Ann"))
    live.tick()
    before = len(outbox(live))  # the two honest acknowledgements
    sign_in(phone, live)
    assert_labelled(phone)
    shot(phone, "01-inbox")
    cards = phone.locator(".card")
    assert cards.count() == 2
    assert "Sam Baker" in cards.nth(0).inner_text() and "URGENT" in cards.nth(0).inner_text().upper()
    cards.nth(0).locator("a").click()
    phone.wait_for_url("**/console/item?k=*")
    assert "sam@example.com" in phone.content()
    shot(phone, "02-conversation")
    assert_labelled(phone)
    phone.get_by_text("Show the whole email").click()
    assert phone.get_by_text("Thanks for your order!").is_visible()
    draft = phone.locator("#reply")
    assert "Sam" in draft.input_value()
    words = "Sam, I'm so sorry: I've refunded the double charge and your order goes out today. Rosie"
    draft.fill(words)
    phone.get_by_label("Keep paused for").check()
    shot(phone, "03-reply-edited")
    phone.get_by_role("button", name="Send reply").click()
    phone.wait_for_url("**/console?notice=sent")
    shot(phone, "04-sent")
    assert "Reply sent" in phone.content() and "Sam Baker" not in phone.locator("main").inner_text()
    mails = outbox(live)
    assert len(mails) == before + 1
    (reply,) = [m for m in mails if words in body(m)]
    assert reply["In-Reply-To"] == "<sam-1@mail.example>" and reply["To"] == "sam@example.com"
    assert "automated" not in body(reply)
    # the other one: mark it handled without a reply
    phone.locator(".card a").first.click()
    phone.get_by_role("button", name="Mark handled").click()
    phone.wait_for_url("**/console?notice=handled")
    assert phone.locator(".card").count() == 0
    shot(phone, "05-inbox-empty")
    phone.get_by_role("link", name="Week", exact=True).click()
    assert phone.locator("svg rect").count() >= 1 and phone.get_by_text("Messages read").is_visible()
    assert_labelled(phone)
    shot(phone, "06-week")
    assert phone.dialogs == []


def test_a_customer_who_may_not_be_safe_at_home_gets_nothing_automatic_until_the_owner_says(
        live: Live, phone: Any) -> None:
    from tests.functional.test_automatic_off import AT_RISK

    post(live, customer_email("jo-1@mail.example", text=AT_RISK, sender="jo@example.com", name="Jo"))
    live.tick()
    assert outbox(live) == []  # no acknowledgement: someone else may read it
    sign_in(phone, live)
    phone.locator(".card a").first.click()
    phone.wait_for_url("**/console/item?k=*")
    warning = phone.locator("#automatic-off")
    assert "Warmline sends this customer no automatic email" in warning.inner_text()
    assert_labelled(phone)
    shot(phone, "07-automatic-off")
    phone.get_by_role("button", name="Turn automatic emails back on").click()
    phone.wait_for_url("**/console/item?k=*notice=automatic-on")
    assert "back on" in phone.locator(".notice").inner_text() and phone.locator("#automatic-off").count() == 0
    phone.get_by_role("button", name="Stop every automatic email to this customer").click()
    phone.wait_for_url("**/console/item?k=*notice=automatic-off")
    assert phone.locator("#automatic-off").is_visible()
    customer = live.services.store.get_customer("jo@example.com")
    assert customer is not None and customer.automatic_off and "turned off by owner" in customer.automatic_off_why
    assert phone.dialogs == []


def test_a_held_email_is_approved_from_the_phone(live_pilot: Live, phone: Any) -> None:
    live = live_pilot
    post(live, customer_email("sam-1@mail.example", text=URGENT))
    live.tick()
    assert outbox(live) == []
    sign_in(phone, live)
    phone.get_by_role("link", name="Held", exact=True).click()
    phone.locator(".card a").first.click()
    assert phone.get_by_text("This is an automated message").is_visible()
    assert_labelled(phone)
    shot(phone, "07-held-email")
    phone.locator("#text").fill("Hello Sam, Rosie here. I've seen your message and I'm on it today.")
    phone.get_by_role("button", name="Approve and send").click()
    phone.wait_for_url("**/console?notice=approved")
    (mail,) = outbox(live)
    assert "Rosie here" in body(mail) and live.services.store.held_emails() == []
    shot(phone, "08-approved")


def test_a_script_in_a_customers_message_is_inert_on_every_page(live: Live, phone: Any) -> None:
    post(live, customer_email("eve-1@mail.example", text=f"I want a refund, this is terrible {HOSTILE}",
                              sender="eve@example.com", name="Eve <b>Bold</b>"))
    live.tick()
    sign_in(phone, live)
    phone.locator(".card a").first.click()
    item_url = phone.url
    for url in [f"{live.url}/console", item_url, f"{live.url}/console/messages", f"{live.url}/console/week",
                f"{live.url}/console/held"]:
        phone.goto(url)
        assert phone.evaluate("() => window.__pwned") is None, url
        assert phone.locator("main script, main img").count() == 0, url
    phone.goto(item_url)
    assert "<script>" in phone.locator(".message").first.inner_text()  # shown as text
    shot(phone, "09-hostile-message-as-text")
    assert phone.dialogs == []


def test_without_a_session_every_owner_route_is_refused(live: Live, phone: Any) -> None:
    for method, path in OWNER_ROUTES:
        if method == "GET":
            response = phone.goto(f"{live.url}{path}")
            assert response.status == 401, path
        else:
            status = phone.request.post(f"{live.url}{path}", form={"csrf": "x"}).status
            assert status == 401, path
    shot(phone, "10-refused")


def test_forged_expired_and_reused_signin_links_are_refused(live: Live, phone: Any) -> None:
    auth = console_auth(live.services)
    url = auth.signin_url()
    forged = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    assert phone.goto(forged).status == 403
    sign_in(phone, live)  # a fresh link works once
    params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    phone.goto(url)
    phone.get_by_role("button", name="Sign in").click()  # first use of this link: fine
    assert phone.url.startswith(f"{live.url}/console?")
    reused = phone.request.post(f"{live.url}/console/signin", form=params)
    assert reused.status == 403
    expired = auth.links.sign("console-signin", f"owner:{params['n']}x", -auth.links.REVIEW_FOR)
    assert phone.goto(f"{live.url}/console/signin?u=owner&n={params['n']}x&t={expired}").status == 403
    shot(phone, "11-link-refused")
