"""Late-order apology: an order not shipped by its promised date gets one apology before the customer asks;
a fulfillment cancels it; a goodwill code comes from a (fake, local) Shopify Admin API, and its failure is told."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services, build
from chalicelib.config.loader import load_data
from tests.conftest import EXAMPLE_CONFIG, ROOT, TEST_SECRETS, Clock, example_config_data, make_services, shared_json
from tests.functional.helpers import client_for, live_order, log_of, outbox, post_shopify, text_of, tick_at

PLACED = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday, 10:00 in London
PROMISED = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # 3 business days later (the example's promise)


class FakeAdminApi:
    """A small Shopify Admin GraphQL stand-in on 127.0.0.1: records requests, answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.requests.append({"path": self.path, "token": self.headers.get("X-Shopify-Access-Token"),
                                     "body": body})
                status, payload, headers = api.answers.pop(0) if api.answers else (200, api.created(body), {})
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/admin/api/2026-01/graphql.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def created(body: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"discountCodeBasicCreate": {"codeDiscountNode": {"id": "gid://shopify/DiscountCodeNode/1"},
                                                     "userErrors": []}}}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def admin_api() -> Iterator[FakeAdminApi]:
    api = FakeAdminApi()
    yield api
    api.close()


def services_with_goodwill(tmp_path: Path, clock: Clock, admin_url: str) -> Services:
    data = example_config_data()
    data["secrets"] = {**data["secrets"], "shopify_admin_token": {"env": "WARMLINE_SHOPIFY_ADMIN_TOKEN"}}
    data["flows"] = {**data["flows"], "late_order": {"enabled": True,
                                                     "goodwill": {"kind": "percent", "value": 10,
                                                                  "expires_in_days": 30}}}
    env = {**TEST_SECRETS, "WARMLINE_SHOPIFY_ADMIN_TOKEN": "shpat_test", "WARMLINE_SHOPIFY_ADMIN_URL": admin_url}
    return build(load_data(data, EXAMPLE_CONFIG.parent), mode="local", data_dir=tmp_path / "data", clock=clock,
                 environ=env, echo=lambda _t: None)


def place_order(services: Services, clock: Clock) -> None:
    clock.now = PLACED
    with client_for(services) as client:
        assert post_shopify(client, live_order(PLACED), "orders/create").status_code == 200
    tick_at(services, PLACED)


def apologies(services: Services) -> list[Any]:
    return [m for m in outbox(services) if "running late" in str(m["Subject"])]


def test_an_apology_at_the_promised_date_before_the_customer_asks(services: Services, clock: Clock) -> None:
    place_order(services, clock)
    (step,) = services.extras["scheduler"].pending_steps("late_order")
    assert datetime.fromisoformat(step.due) == PROMISED
    tick_at(services, PROMISED - timedelta(minutes=1))
    assert apologies(services) == []
    tick_at(services, PROMISED + timedelta(minutes=1))
    (apology,) = apologies(services)
    assert apology["To"] == "jon@example.com" and apology["Subject"] == ("Order #9999 is running late, and we're "
                                                                        "sorry")
    text = text_of(apology)
    assert "by 2026-11-19" in text and "not yours to chase" in text and "automated message" in text
    tick_at(services, PROMISED + timedelta(days=3))  # never a second one
    assert len(apologies(services)) == 1
    assert log_of(services, decision="SendEmail", flow="late_order")


def test_a_fulfillment_cancels_the_apology(services: Services, clock: Clock) -> None:
    place_order(services, clock)
    fulfillment = shared_json("shopify/fulfillments_create.json")
    fulfillment["created_at"] = (PLACED + timedelta(days=1)).isoformat()
    with client_for(services) as client:
        post_shopify(client, json.dumps(fulfillment).encode(), "fulfillments/create")
    tick_at(services, PLACED + timedelta(days=1))
    assert services.extras["scheduler"].pending_steps("late_order") == []
    tick_at(services, PROMISED + timedelta(days=1))
    assert apologies(services) == []
    assert any("no late-order apology" in e["reason"] for e in log_of(services, decision="CancelSteps"))


def test_a_cancelled_order_gets_no_apology(services: Services, clock: Clock) -> None:
    place_order(services, clock)
    order = shared_json("shopify/orders_cancelled.json")
    with client_for(services) as client:
        post_shopify(client, json.dumps(order).encode(), "orders/cancelled")
    tick_at(services, PROMISED + timedelta(days=1))
    assert apologies(services) == []


def test_goodwill_code_from_the_admin_api(tmp_path: Path, clock: Clock, admin_api: FakeAdminApi) -> None:
    services = services_with_goodwill(tmp_path, clock, admin_api.url)
    place_order(services, clock)
    admin_api.answers.append((429, {"errors": "Throttled"}, {"Retry-After": "0"}))  # then success: retried
    tick_at(services, PROMISED + timedelta(minutes=1))
    (apology,) = apologies(services)
    text = text_of(apology)
    assert "SORRY-" in text and "works until" in text
    request = admin_api.requests[-1]
    assert len(admin_api.requests) == 2 and request["token"] == "shpat_test"
    discount = request["body"]["variables"]["basicCodeDiscount"]
    assert discount["usageLimit"] == 1 and discount["customerGets"]["value"] == {"percentage": 0.1}
    assert discount["code"] in text
    assert discount["context"] == {"customers": {"add": ["gid://shopify/Customer/115310627314723954"]}}


def test_when_the_admin_api_fails_the_apology_goes_without_a_code_and_the_owner_is_told(
        tmp_path: Path, clock: Clock, admin_api: FakeAdminApi) -> None:
    services = services_with_goodwill(tmp_path, clock, admin_api.url)
    place_order(services, clock)
    admin_api.answers.append((200, {"data": {"discountCodeBasicCreate": {
        "codeDiscountNode": None, "userErrors": [{"field": ["basicCodeDiscount"], "code": "INVALID",
                                                  "message": "Access denied for discounts"}]}}}, {}))
    tick_at(services, PROMISED + timedelta(minutes=1))
    (apology,) = apologies(services)
    assert "SORRY-" not in text_of(apology) and "running late" in str(apology["Subject"])
    alerts = services.extras["alerts"].entries()
    assert any("goodwill code could not be created" in json.dumps(a) for a in alerts)


def test_the_cli_tick_now_moves_time(tmp_path: Path) -> None:
    """The same path through the real `warmline` command: webhook stored by one process, `tick --now` later."""
    clock = Clock(PLACED)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({**example_config_data(), "quiet_hours": None}))
    services = make_services(tmp_path, clock)
    place_order(services, clock)
    services.extras["db"].close()
    env = {**TEST_SECRETS, "WARMLINE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def tick(now: datetime) -> str:
        done = subprocess.run([sys.executable, "-m", "chalicelib.cli", "tick", "--config", str(config),
                               "--now", now.isoformat()], cwd=ROOT, capture_output=True, text=True, env=env,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    tick(PROMISED - timedelta(hours=1))
    assert apologies(services) == []
    tick(PROMISED + timedelta(hours=1))
    assert len(apologies(services)) == 1


def test_an_apology_due_at_night_waits_and_a_shipment_before_morning_cancels_it(services: Services,
                                                                                  clock: Clock) -> None:
    night_order = datetime(2026, 11, 16, 22, 30, tzinfo=UTC)  # promised by Thursday 22:30: quiet hours (London)
    clock.now = night_order
    with client_for(services) as client:
        post_shopify(client, live_order(night_order), "orders/create")
    tick_at(services, night_order)
    tick_at(services, night_order + timedelta(days=3, minutes=5))
    assert apologies(services) == []
    (waiting,) = services.extras["scheduler"].pending_steps("late_order")
    assert waiting.due.startswith("2026-11-20T08:00")
    fulfillment = shared_json("shopify/fulfillments_create.json")
    fulfillment["created_at"] = (night_order + timedelta(days=3, hours=6)).isoformat()
    with client_for(services) as client:
        post_shopify(client, json.dumps(fulfillment).encode(), "fulfillments/create")
    tick_at(services, night_order + timedelta(days=3, hours=6))
    tick_at(services, night_order + timedelta(days=3, hours=12))
    assert apologies(services) == []
