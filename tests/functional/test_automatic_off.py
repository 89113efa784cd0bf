"""Automatic emails off for one customer: set by a message saying someone else reads their email, or by the owner;
every kind of automatic email then stops for that address until the owner turns them back on (console or CLI)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

import app as app_module
from chalicelib.bootstrap import Services
from chalicelib.owner.services import Actor, OwnerActionError
from chalicelib.owner.wiring import owner_services
from tests.conftest import Clock, make_services, shared_json
from tests.functional.helpers import client_for, live_order, log_of, outbox, post_email, post_shopify, tick_at
from tests.functional.test_console import customer_email, form_fields, post_form, sign_in
from tests.functional.test_flows import redated_checkout
from tests.functional.test_owner_services import cli

OWNER = Actor("rosie", "testing")
JON = "jon@example.com"  # the shared Shopify order sample's customer
# From blind probe 9 (bench/data/blind_probes.jsonl): a customer who may not be safe at home
AT_RISK = ("Hi, please could you not send anything else to this email address about my order. My husband goes "
           "through the post and reads my emails and I'm not allowed to buy things for myself. Thank you.")


def thank_yous(services: Services) -> list[str]:
    return [str(m["Subject"]) for m in outbox(services) if m["To"] == JON]


def test_a_customer_who_says_someone_reads_their_email_gets_no_automatic_email_until_the_owner_says(
        services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        post_email(client, customer_email("jon-1@mail.example", text=AT_RISK, sender=JON, name="Jon"))
        tick_at(services, clock())
        customer = services.store.get_customer(JON)
        assert customer is not None and customer.automatic_off == clock().isoformat()
        assert customer.automatic_off_why == "they wrote that someone else may read their email"
        assert thank_yous(services) == []  # no acknowledgement either
        (alert,) = services.extras["alerts"].entries()
        assert "Warmline sends them no automatic email until you turn it back on" in alert["reasons"]

        # Four days later (past the upset cooldown) they pay for an order: no thank-you goes to the address.
        clock.advance(days=4)
        assert post_shopify(client, live_order(clock()), "orders/paid").status_code == 200
        tick_at(services, clock())
        assert thank_yous(services) == []
        (held_back,) = log_of(services, decision="Suppress", code="automatic_off")
        assert "automatic emails to this customer are off" in held_back["reason"]
        assert "someone else may read their email" in held_back["reason"] and JON not in str(held_back)

        # The owner's console says so on the customer's page and turns them back on.
        cookie = sign_in(client, services)
        inbox = client.http.get("/console", headers={"Cookie": cookie})
        item_path = unescape(re.search(rb'href="(/console/item\?k=[^"]+)"',  # type: ignore[union-attr]
                                       inbox.body).group(1).decode())
        item = client.http.get(item_path, headers={"Cookie": cookie})
        assert b"Warmline sends this customer no automatic email" in item.body
        assert b"Turn automatic emails back on" in item.body
        action = "/console/item/automatic" + item_path.removeprefix("/console/item")
        fields = form_fields(item.body, "/console/item/automatic")
        assert fields["automatic"] == "on"
        response = post_form(client, action, cookie, fields)
        assert response.status_code == 303 and "notice=automatic-on" in response.headers["Location"]
        assert post_form(client, action, cookie, fields).status_code == 303  # a double tap does it once
        after = client.http.get(response.headers["Location"], headers={"Cookie": cookie})
        assert b"back on" in after.body and b"Stop every automatic email to this customer" in after.body
        customer = services.store.get_customer(JON)
        assert customer is not None and customer.automatic_off is None and customer.automatic_off_why == ""
        (on,) = log_of(services, decision="AutomaticEmails")
        assert on["outcome"] == "on" and on["by"] == "owner" and on["customer"] != JON

        clock.advance(days=1)
        post_shopify(client, live_order(clock(), id=820982911946154999, name="#10000"), "orders/paid")
        tick_at(services, clock())
        # back on: the next thank-you goes, and the late-order apologies now due
        assert "Thank you for your order #10000" in thank_yous(services)
        assert "Thank you for your order #9999" not in thank_yous(services)


def test_the_owner_can_stop_automatic_emails_from_the_console_and_the_cli(
        services: Services, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with client_for(services) as client:
        post_email(client, customer_email())  # an angry message from sam@example.com
        tick_at(services, clock())
        cookie = sign_in(client, services)
        inbox = client.http.get("/console", headers={"Cookie": cookie})
        item_path = unescape(re.search(rb'href="(/console/item\?k=[^"]+)"',  # type: ignore[union-attr]
                                       inbox.body).group(1).decode())
        item = client.http.get(item_path, headers={"Cookie": cookie})
        fields = form_fields(item.body, "/console/item/automatic")
        assert fields["automatic"] == "off"
        action = "/console/item/automatic" + item_path.removeprefix("/console/item")
        assert post_form(client, action, cookie, fields).status_code == 303
        customer = services.store.get_customer("sam@example.com")
        assert customer is not None and customer.automatic_off and "turned off by owner" in customer.automatic_off_why
        refused = post_form(client, action, cookie, {**fields, "automatic": "maybe", "action": "other-key"})
        assert refused.status_code == 400 and b"on or off" in refused.body

    code, out, _err = cli(tmp_path, monkeypatch, capsys, "automatic", "sam@example.com", clock=clock)
    assert code == 0 and out.startswith("Off since ") and "turned off by owner" in out
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "automatic", "sam@example.com", "on", clock=clock)
    assert code == 0 and out.startswith("On: automatic emails to sam@example.com")
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "automatic", "kim@example.com", "off", "--why",
                          "asked by phone", clock=clock)
    assert code == 0 and out.startswith("Off since ") and "asked by phone" in out  # no record yet: one is made
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "automatic", "kim@example.com", "off", clock=clock)
    assert code == 0 and "asked by phone" in out  # already off: unchanged, the first reason stays
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "automatic", "nobody@example.com", clock=clock)
    assert code == 0 and "no customer with this address on record" in out
    code, _out, err = cli(tmp_path, monkeypatch, capsys, "automatic", "not-an-address", "off", clock=clock)
    assert code == 1 and err.strip() == "warmline: 'not-an-address' is not an email address"
    logged = log_of(services, decision="AutomaticEmails")
    assert [e["outcome"] for e in logged] == ["off", "on", "off"]
    assert [e["customer"] for e in logged] == ["s***@example.com", "s***@example.com", "k***@example.com"]  # masked
    assert logged[2]["why"] == "asked by phone" and logged[2]["by"].endswith("(cli)")


def test_a_held_email_is_not_approved_once_the_customer_asked_for_no_more(tmp_path: Path, clock: Clock) -> None:
    """Pilot mode: an email may wait days for the owner; what the customer said meanwhile still counts."""
    pilot = make_services(tmp_path, clock, pilot=True)
    owner = owner_services(pilot)
    try:
        with client_for(pilot) as client:
            post_shopify(client, live_order(clock()), "orders/paid")
            tick_at(pilot, clock())
            (held,) = pilot.store.held_emails()
            assert held["to"] == JON and held["kind"] == "service"
            post_email(client, customer_email("jon-1@mail.example", text=AT_RISK, sender=JON, name="Jon"))
            tick_at(pilot, clock())
        with pytest.raises(OwnerActionError, match=re.escape(
                "automatic emails to this customer are off (they wrote that someone else may read their email): "
                "discard this email")):
            owner.approve(held["key"], OWNER, "approve-1")
        assert outbox(pilot) == [] and len(pilot.store.held_emails()) == 1
        owner.automatic_emails(JON, True, OWNER, "on-1")  # the owner is sure: turned back on, then approved
        assert owner.approve(held["key"], OWNER, "approve-2")["outcome"] == "sent"
        assert len(outbox(pilot)) == 1

        # A cart reminder (marketing) held, then Shopify says the shopper unsubscribed: it is not approved either.
        with client_for(pilot) as client:
            post_shopify(client, redated_checkout(clock), "checkouts/create")
            tick_at(pilot, clock())
            clock.advance(hours=2)
            tick_at(pilot, clock())
            (reminder,) = pilot.store.held_emails()
            assert reminder["kind"] == "marketing" and reminder["to"] == "example@email.com"
            consent = shared_json("shopify/customers_email_marketing_consent_update.json")
            consent.update(email_address="example@email.com")
            consent["email_marketing_consent"].update(state="unsubscribed", consent_updated_at=clock().isoformat())
            assert post_shopify(client, json.dumps(consent).encode(),
                                "customers_email_marketing_consent/update").status_code == 200
            tick_at(pilot, clock())
        with pytest.raises(OwnerActionError, match="the customer unsubscribed after this email was held: discard it"):
            owner.approve(reminder["key"], OWNER, "approve-3")
        assert len(outbox(pilot)) == 1
        assert owner.reject(reminder["key"], OWNER, "reject-3")["outcome"] == "rejected"
    finally:
        pilot.extras["db"].close()
        app_module.use(None)


def test_automatic_emails_needs_an_address(services: Services) -> None:
    owner = owner_services(services)
    for bad in ("", "two@@example.com", "a b@example.com", "x" * 250 + "@example.com"):
        with pytest.raises(OwnerActionError, match="is not an email address"):
            owner.automatic_emails(bad, False, OWNER, f"bad-{len(bad)}")
    assert owner.automatic_emails("new@example.com", True, OWNER, "on-new") == {
        "outcome": "unchanged", "automatic": "on", "repeated": False}
    assert services.store.get_customer("new@example.com") is None  # turning on creates nothing
