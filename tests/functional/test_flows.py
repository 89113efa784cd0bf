"""The two flows end to end on the local stack, plus crash, retry, dead-letter, privacy and pilot paths."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services
from chalicelib.engine.local import LocalSentimentAnalyzer, sentences
from tests.conftest import Clock, make_services, shared_bytes, shared_json
from tests.functional.helpers import (
    body_of,
    client_for,
    outbox,
    post_email,
    post_shopify,
    post_stripe,
    privacy_body,
    shop_with_id,
    stripe_event,
    text_of,
)


def redated_checkout(clock: Clock) -> bytes:
    """The shared checkouts/create sample, its timestamps moved to the test clock (as `warmline replay` does)."""
    text = shared_bytes("shopify/checkouts_create.json").decode()
    stamp = clock().isoformat()
    return text.replace('"created_at": "2021-12-31T19:00:00-05:00"', f'"created_at": "{stamp}"')\
               .replace('"updated_at": "2021-12-31T19:00:00-05:00"', f'"updated_at": "{stamp}"').encode()


def tick(services: Services) -> Any:
    return services.extras["runner"].run_once()


def test_abandoned_checkout_sends_a_kind_reminder_after_an_hour(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        assert post_shopify(client, redated_checkout(clock), "checkouts/create").status_code == 200
    tick(services)
    assert outbox(services) == []  # nothing before the first step is due
    clock.advance(minutes=59)
    tick(services)
    assert outbox(services) == []
    clock.advance(minutes=2)
    tick(services)
    (email,) = outbox(services)
    assert email["To"] == "example@email.com"
    assert "basket" in email["Subject"]
    text = text_of(email)
    assert "IPod Nano - 8GB" in text
    assert "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token" in text
    assert "This is an automated message from Rosie's Bakery" in text
    assert "Unsubscribe: http://127.0.0.1:8000/unsubscribe?" in text
    assert email["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe?")
    assert email["Auto-Submitted"] == "auto-generated"
    assert not any(word in text.lower() for word in ("hurry", "last chance", "only a few left", "expires"))
    # Steps 2 and 3 follow on their own schedule; nothing more is sent after the last one.
    clock.advance(hours=24)
    tick(services)
    clock.advance(hours=48)
    tick(services)
    clock.advance(days=30)
    tick(services)
    assert [m["Subject"] for m in outbox(services)][1:] == [
        "Any questions about your basket at Rosie's Bakery?", "Your basket at Rosie's Bakery"]
    reasons = [e["reason"] for e in services.log.recent() if e["decision"] == "SendEmail"]
    assert reasons and all("abandoned-cart reminder" in r for r in reasons)


def test_a_checkout_followed_by_its_order_sends_no_cart_email(services: Services, clock: Clock) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    # The shared sample order belongs to another checkout: point it at ours (by cart token, as Shopify does).
    order.update(cart_token="eeafa272cebfd4b22385bc4b645e762c", cancelled_at=None, financial_status="paid")
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        clock.advance(minutes=20)
        assert post_shopify(client, json.dumps(order).encode(), "orders/create").status_code == 200
    tick(services)
    clock.advance(days=5)
    tick(services)
    assert outbox(services) == []
    stopped = [e for e in services.log.recent() if e.get("status") == "purchased"]
    assert stopped and "placed order #9999" in stopped[0]["reason"]


def test_an_order_arriving_after_the_step_was_queued_is_rechecked_at_send_time(services: Services,
                                                                                clock: Clock) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="example@email.com", cancelled_at=None, processed_at=None,
                 created_at=(clock() + timedelta(minutes=30)).isoformat())
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        clock.advance(minutes=30)
        post_shopify(client, json.dumps(order).encode(), "orders/create")
    clock.advance(hours=2)
    tick(services)
    assert outbox(services) == []


def test_deleting_the_checkout_stops_the_reminders(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        post_shopify(client, shared_bytes("shopify/checkouts_delete.json"), "checkouts/delete")
    clock.advance(hours=2)
    tick(services)
    assert outbox(services) == []
    assert any(e.get("status") == "deleted" for e in services.log.recent())


def upset_email(message_id: str = "upset-1", text: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = shared_json("email/postmark/postmark-inbound-test-payload.json")
    body = text or ("Where is my order?? It's been 3 weeks and nobody answers my emails. "
                    "I want a full refund immediately or I'll dispute the charge.")
    payload.update(MessageID=message_id, Subject="Still waiting", TextBody=body, StrippedTextReply=body,
                   HtmlBody="", ReplyTo="", From="sam@example.com", FromName="Sam Baker",
                   FromFull={"Email": "sam@example.com", "Name": "Sam Baker", "MailboxHash": ""})
    return payload


def test_an_upset_customer_reaches_the_owner_and_gets_an_honest_acknowledgement(services: Services) -> None:
    with client_for(services) as client:
        assert post_email(client, upset_email()).status_code == 200
    tick(services)
    (alert,) = services.extras["alerts"].entries()
    assert alert["level"] in ("alert", "urgent")
    # The details quote the sentence the engine reads as the most upset (here "nobody answers my emails").
    body = upset_email()["TextBody"]
    focus = LocalSentimentAnalyzer().read(body).focus
    assert focus in sentences(body) and focus[:25] in alert["text"]
    assert "sam@example.com" in alert["text"]
    assert "refund" in " ".join(alert["reasons"]).lower()
    assert alert["review_url"].startswith("http://127.0.0.1:8000/review/")
    assert len(alert["sms"]) <= 300 and "sam@example.com" not in alert["sms"]
    (ack,) = outbox(services)
    text = text_of(ack)
    assert ack["To"] == "sam@example.com" and ack["Auto-Submitted"] == "auto-replied"
    assert "automatic reply" in text and "Rosie's Bakery" in text and "within 24 hours" in text
    assert "Unsubscribe" not in text  # not marketing


def test_the_acknowledgement_threads_under_the_customers_message(services: Services) -> None:
    raw = ("From: Sam Baker <sam@example.com>\r\nTo: hello@rosiesbakery.example\r\nSubject: Broken cake\r\n"
           "Message-ID: <cake-123@mail.example.com>\r\n\r\n"
           "The cake arrived completely crushed. I want a refund, this is the second time!\r\n")
    with client_for(services) as client:
        post_email(client, {"RawEmail": raw, "MessageID": "pm-1"})
    tick(services)
    (ack,) = outbox(services)
    assert ack["Subject"] == "We got your message to Rosie's Bakery"  # never echoes what the sender wrote
    assert ack["In-Reply-To"] == ack["References"] == "<cake-123@mail.example.com>"


def test_a_neutral_email_gets_no_alert_and_no_reply(services: Services) -> None:
    with client_for(services) as client:
        post_email(client, upset_email("calm-1", "Hello! Do you deliver to Bath on Saturdays?"))
    tick(services)
    assert services.extras["alerts"].entries() == [] and outbox(services) == []


def test_auto_replies_and_bounces_are_never_answered(services: Services) -> None:
    raw = ("From: Sam <sam@example.com>\r\nTo: hello@rosiesbakery.example\r\nSubject: Out of Office\r\n"
           "Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@example.com>\r\n\r\n"
           "I am away and furious about nothing; this is an automatic reply. Refund refund refund!\r\n")
    with client_for(services) as client:
        post_email(client, {"RawEmail": raw, "MessageID": "ooo-1"})
    tick(services)
    assert outbox(services) == [] and services.extras["alerts"].entries() == []
    assert any("auto reply" in e["reason"] for e in services.log.recent())


def test_an_upset_customer_gets_no_cart_reminder(services: Services, clock: Clock) -> None:
    email = upset_email()
    email.update(From="example@email.com", FromFull={"Email": "example@email.com", "Name": "Ex", "MailboxHash": ""})
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        post_email(client, email)
    tick(services)
    clock.advance(hours=2)
    tick(services)
    subjects = [m["Subject"] for m in outbox(services)]
    assert subjects == ["We got your message to Rosie's Bakery"]  # the acknowledgement, no reminder
    suppressed = [e for e in services.log.recent() if e["outcome"] == "suppressed"]
    assert suppressed and suppressed[0]["code"] == "upset" and "upset right now" in suppressed[0]["reason"]


def test_a_crash_between_sending_and_done_reruns_without_a_second_email(services: Services, clock: Clock) -> None:
    body = stripe_event(shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"),
                        "invoice.payment_failed")
    with client_for(services) as client:
        post_stripe(client, body)
    real_save = services.store.save_customer
    crashes = {"left": 1}

    def crash_once(customer: Any) -> None:
        if crashes["left"]:
            crashes["left"] -= 1
            raise RuntimeError("worker died after the email was sent")
        real_save(customer)

    services.store.save_customer = crash_once  # type: ignore[method-assign]
    report = tick(services)
    assert report.retried == 1 and len(outbox(services)) == 1  # sent, then crashed before "done"
    clock.advance(minutes=5)
    report = tick(services)
    assert report.processed == 1
    assert len(outbox(services)) == 1  # the re-run found the key already sent


def test_a_worker_that_dies_mid_run_is_picked_up_after_its_lease(services: Services, clock: Clock) -> None:
    body = stripe_event(shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"),
                        "invoice.payment_failed")
    with client_for(services) as client:
        post_stripe(client, body)
    queue = services.extras["queue"]
    (claimed,) = queue.claim(clock())
    services.worker.process(claimed)  # the email goes out... and the process dies before complete()
    assert queue.claim(clock()) == []  # leased: nobody else takes it yet
    clock.advance(minutes=6)
    assert tick(services).processed == 1
    assert len(outbox(services)) == 1


def test_five_failures_put_a_delivery_in_the_dead_letters(services: Services, clock: Clock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("disk on fire")

    services.store.get_sequence = broken  # type: ignore[method-assign]
    for _ in range(5):
        tick(services)
        clock.advance(hours=1)
    (letter,) = services.extras["queue"].dead_letters()
    assert letter["attempts"] == 5 and "disk on fire" in letter["error"]
    assert tick(services).processed == 0  # it stays there until the owner retries it


def test_privacy_redact_deletes_everything_about_the_customer(services: Services, clock: Clock) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="john@example.com", cancelled_at=None)
    with client_for(services) as client:
        post_shopify(client, json.dumps(order).encode(), "orders/paid")
        post_email(client, {**upset_email("john-1"), "From": "john@example.com",
                            "FromFull": {"Email": "john@example.com", "Name": "John", "MailboxHash": ""}})
    tick(services)
    assert services.store.get_customer("john@example.com") is not None
    assert outbox(services) and services.extras["alerts"].entries()
    with client_for(services) as client:
        assert post_shopify(client, privacy_body("customers_redact.json"), "customers/redact").status_code == 200
    tick(services)
    assert services.store.get_customer("john@example.com") is None
    assert outbox(services) == [] and services.extras["alerts"].entries() == []
    log_text = json.dumps(services.log.recent())
    assert "john@example.com" not in log_text and "jo***@example.com" not in log_text
    (forgot,) = [e for e in services.log.recent() if e["decision"] == "ForgetCustomer"]
    assert forgot["records_removed"] > 0


def test_data_request_writes_an_export_the_owner_can_fetch(services: Services, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(email="john@example.com")
    with client_for(services) as client:
        post_shopify(client, json.dumps(order).encode(), "orders/create")
        post_shopify(client, privacy_body("customers_data_request.json"), "customers/data_request")
    tick(services)
    (entry,) = [e for e in services.log.recent() if e["decision"] == "ExportCustomerData"]
    export = services.store.get_export(entry["export_id"])
    assert export is not None and export["customers"][0]["email"] == "john@example.com"
    assert export["customers"][0]["orders"][0]["order_id"] == "820982911946154508"
    (alert,) = services.extras["alerts"].entries()
    link = next(line for line in alert["text"].splitlines() if "export" in line).split(": ", 1)[1]
    with client_for(services) as client:
        fetched = client.http.get(link.removeprefix("http://127.0.0.1:8000"))
        assert fetched.status_code == 200 and json.loads(fetched.body) == export
        assert client.http.get(link.removeprefix("http://127.0.0.1:8000")[:-3] + "000").status_code == 403


def test_pilot_mode_holds_messages_until_the_owner_approves(tmp_path: Path, clock: Clock) -> None:
    from chalicelib.cli import main

    pilot = make_services(tmp_path, clock, pilot=True)
    with client_for(pilot) as client:
        post_email(client, upset_email())
    tick(pilot)
    assert outbox(pilot) == [] and pilot.extras["alerts"].entries()  # owner alerted, customer email held
    (held,) = pilot.store.held_emails()
    assert held["key"] == "ack:postmark:upset-1"
    config = tmp_path / "pilot.json"
    config.write_text(json.dumps({**json.loads(Path("examples/bakery.json").read_text()), "pilot": True}))
    import os

    os.environ.update({"WARMLINE_SHOPIFY_SECRET": "hush", "WARMLINE_STRIPE_SECRET": "whsec_test_secret",
                       "WARMLINE_EMAIL_TOKEN": "inbound-token-for-tests"})
    args = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main(["approve", "ack:postmark:upset-1", *args]) == 0
    assert len(outbox(pilot)) == 1 and pilot.store.held_emails() == []
    assert main(["approve", "ack:postmark:upset-1", *args]) == 1  # nothing left to approve


def test_unsubscribe_link_needs_a_confirming_post_and_stops_reminders(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        url = services.links.unsubscribe_url("example@email.com").removeprefix("http://127.0.0.1:8000")
        page = client.http.get(url)
        assert page.status_code == 200 and b"<form method=post>" in page.body
        assert services.store.get_customer("example@email.com") is None or \
            services.store.get_customer("example@email.com").consent != "unsubscribed"  # type: ignore[union-attr]
        assert client.http.post(url, body=b"").status_code == 200
        assert client.http.get(url.replace("t=", "t=0")).status_code == 400  # altered link
    customer = services.store.get_customer("example@email.com")
    assert customer is not None and customer.consent == "unsubscribed"
    clock.advance(hours=2)
    tick(services)
    assert outbox(services) == []


def test_review_link_leads_to_the_console_and_refuses_altered_links(services: Services) -> None:
    with client_for(services) as client:
        post_email(client, upset_email())
        tick(services)
        (alert,) = services.extras["alerts"].entries()
        path = alert["review_url"].removeprefix("http://127.0.0.1:8000")
        page = client.http.get(path)  # the item itself needs a session (tests/functional/test_console.py)
        assert page.status_code == 303 and page.headers["Location"].startswith("/console/item?k=")
        assert client.http.get(path[:-2] + "00").status_code == 403


def test_sqs_handler_reports_only_the_failed_record(services: Services) -> None:
    """The Lambda SQS handler on local adapters: batchItemFailures names the bad message only."""
    from chalice.test import Client

    import app as app_module
    from chalicelib.ports import Delivery

    good = Delivery("stripe:evt_good", "stripe", "invoice.payment_failed",
                    stripe_event(shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"),
                                 "invoice.payment_failed", "evt_good"), services.clock())
    bad = Delivery("shopify:bad", "shopify", "orders/create", b"{not json", services.clock())
    app_module.use(services)
    try:
        with Client(app_module.app) as client:
            event = client.events.generate_sqs_event(queue_name="warmline-deliveries", message_bodies=[
                json.dumps(good.to_dict()), json.dumps(bad.to_dict())])
            response = client.lambda_.invoke("process_deliveries", event)
    finally:
        app_module.use(None)
    failures = response.payload["batchItemFailures"]
    assert len(failures) == 1
    records = event["Records"]
    assert failures[0]["itemIdentifier"] == records[1]["messageId"]
    assert len(outbox(services)) == 1


def test_health(services: Services) -> None:
    with client_for(services) as client:
        assert body_of(client.http.get("/health")) == {"status": "ok", "mode": "local"}


def test_the_runner_reads_a_batch_of_emails_with_one_batched_call(tmp_path: Path, clock: Clock) -> None:
    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load_data
    from chalicelib.engine.local import LocalSentimentAnalyzer
    from tests.conftest import EXAMPLE_CONFIG, TEST_SECRETS, example_config_data

    calls: dict[str, list[int]] = {"read": [], "read_many": []}

    class Spy(LocalSentimentAnalyzer):
        batched = False

        def read(self, text: str, language: str | None = None) -> Any:
            if not self.batched:  # the local engine's read_many reads each text through read()
                calls["read"].append(1)
            return super().read(text, language)

        def read_many(self, texts: Any, language: str | None = None) -> Any:
            calls["read_many"].append(len(texts))
            self.batched = True
            try:
                return super().read_many(texts, language)
            finally:
                self.batched = False

    config = load_data(example_config_data(), EXAMPLE_CONFIG.parent)
    spied = build(config, mode="local", data_dir=tmp_path / "d", clock=clock, environ=TEST_SECRETS,
                  analyzer=Spy(), echo=lambda _t: None)
    with client_for(spied) as client:
        for i in range(3):
            post_email(client, upset_email(f"batch-{i}", f"Order {i} never arrived. I want a refund!"))
    report = tick(spied)
    assert report.processed == 3 and calls == {"read": [], "read_many": [3]}
    # One customer, one open conversation: the first message texts the owner, the later ones join it, and
    # only a step up in urgency texts again.
    assert [e["key"] for e in spied.extras["alerts"].entries()] == ["alert:postmark:batch-0",
                                                                     "alert:postmark:batch-0:urgent"]


def test_the_engine_reads_the_shops_product_names_as_items(tmp_path: Path, clock: Clock) -> None:
    """`escalation.product_names` ("Mouldy Old Dough" in the example shop) mask the engine's reading as well as the
    cues: the name of a loaf says nothing about how the customer feels."""
    from chalicelib.bootstrap import build
    from chalicelib.config.loader import load_data
    from chalicelib.engine.local import LocalSentimentAnalyzer
    from tests.conftest import EXAMPLE_CONFIG, TEST_SECRETS, example_config_data

    seen: list[str] = []

    class Spy(LocalSentimentAnalyzer):
        def read(self, text: str, language: str | None = None) -> Any:
            seen.append(text)
            return super().read(text, language)

    config = load_data(example_config_data(), EXAMPLE_CONFIG.parent)
    assert "Mouldy Old Dough" in config.escalation.product_names
    spied = build(config, mode="local", data_dir=tmp_path / "d", clock=clock, environ=TEST_SECRETS,
                  analyzer=Spy(), echo=lambda _t: None)
    with client_for(spied) as client:
        post_email(client, upset_email("loaves", "Could I have two Mouldy Old Dough loaves for Friday, please?"))
    tick(spied)
    assert seen == ["Could I have two item loaves for Friday, please?"]
    assert spied.extras["alerts"].entries() == []


def test_a_failed_approval_keeps_the_email_held(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from chalicelib.adapters.local.outbox import FileOutbox
    from chalicelib.cli import main

    pilot = make_services(tmp_path, clock, pilot=True)
    with client_for(pilot) as client:
        post_email(client, upset_email())
    tick(pilot)
    config = tmp_path / "pilot.json"
    config.write_text(json.dumps({**json.loads(Path("examples/bakery.json").read_text()), "pilot": True}))
    for name, value in {"WARMLINE_SHOPIFY_SECRET": "hush", "WARMLINE_STRIPE_SECRET": "whsec_test_secret",
                        "WARMLINE_EMAIL_TOKEN": "inbound-token-for-tests"}.items():
        monkeypatch.setenv(name, value)

    def refuse(self: FileOutbox, message: Any) -> str:
        raise OSError("outbox disk full")

    monkeypatch.setattr(FileOutbox, "send", refuse)
    args = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main(["approve", "ack:postmark:upset-1", *args]) == 1  # a plain sentence, no traceback
    assert "approve failed: OSError: outbox disk full" in capsys.readouterr().err
    assert [h["key"] for h in pilot.store.held_emails()] == ["ack:postmark:upset-1"]  # still there to approve


def test_shop_redact_erases_the_shop_and_drops_work_still_queued(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock, shop=shop_with_id())
    with client_for(services) as client:
        post_email(client, upset_email())
        post_shopify(client, redated_checkout(clock), "checkouts/create")
    tick(services)
    assert services.store.get_customer("sam@example.com") and outbox(services)
    with client_for(services) as client:
        assert post_shopify(client, privacy_body("shop_redact.json"), "shop/redact").status_code == 200
        post_email(client, upset_email("late-arrival"))  # queued behind the redact
    from chalicelib.ports import Delivery

    queue = services.extras["queue"]
    claimed = queue.claim(clock())
    redact: Delivery = next(d for d in claimed if d.topic == "shop/redact")
    services.worker.process(redact)
    queue.complete(redact.delivery_id, clock())
    clock.advance(minutes=10)  # the other claimed delivery's lease runs out
    tick(services)
    assert services.store.get_customer("sam@example.com") is None
    assert services.store.get_sequence("123123123") is None
    assert outbox(services) == [] and services.extras["alerts"].entries() == []
    assert [e["decision"] for e in services.log.recent()] == ["ForgetShop"]
