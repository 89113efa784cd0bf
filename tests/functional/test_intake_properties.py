"""Property tests (Hypothesis): signed mutations of every real fixture against every intake route.

Whatever a validly signed sender posts, the intake never answers 5xx and never raises; what it
accepts, the worker processes (nothing is retried or dead-lettered for its shape); and the
reminder sweep over whatever checkouts were accepted never fails. The big version (20,000
requests against a real `warmline serve`) is `bench/soak_fuzz.py`.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from chalice.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app as app_module
from chalicelib.bootstrap import Services
from tests.conftest import FIXTURES, Clock, make_services, shared_file
from tests.functional.helpers import shop_with_id
from tests.hostile import Seed, load_seeds, mutate, signed_request

# 300 examples a route keeps the three tests near 15 s on 2 cores; WARMLINE_FUZZ_EXAMPLES=5000 searches harder.
SETTINGS = settings(max_examples=int(os.environ.get("WARMLINE_FUZZ_EXAMPLES", "300")), deadline=None,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def seeds(*routes: str) -> list[Seed]:
    shared_file("shopify/signature/computed_hmac_vectors.json")  # fails clearly when ../shared is missing
    return load_seeds(FIXTURES, routes)


def post(client: Client, services: Services, seed: Seed, doc: Any) -> tuple[int, dict[str, Any]]:
    if seed.route == "ses":
        event = client.events.generate_sns_event(message=json.dumps(doc), subject="Amazon SES Email")
        payload = client.lambda_.invoke("inbound_email_from_ses", event).payload
        return (200 if payload.get("status") else 422 if payload.get("error") else 500), payload
    path, headers, body = signed_request(seed, doc, now=services.clock().timestamp())
    response = client.http.post(path, headers=headers, body=body)
    return response.status_code, json.loads(response.body)


def check_route(services: Services, clock: Clock, route_seeds: list[Seed]) -> dict[int, int]:
    statuses: dict[int, int] = {}
    app_module.use(services)
    try:
        with Client(app_module.app) as client:
            @SETTINGS
            @given(seed=st.sampled_from(route_seeds), rng=st.randoms(use_true_random=False))
            def one(seed: Seed, rng: random.Random) -> None:
                doc = mutate(seed.doc, rng)
                status, body = post(client, services, seed, doc)
                statuses[status] = statuses.get(status, 0) + 1
                assert status < 500, (seed.name, status, body)
                assert isinstance(body, dict) and ("status" in body or "error" in body), body
                report = services.extras["runner"].run_once()
                assert report.dead == 0 and report.retried == 0, (seed.name, report.errors)

            one()
    finally:
        app_module.use(None)
    # Whatever checkouts were accepted, every later reminder sweep runs through without an error.
    for _ in range(4):
        clock.advance(hours=30)
        services.worker.run_due_steps(clock())
    return statuses


def test_shopify_mutations_never_5xx_and_what_is_accepted_is_processed(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock, shop=shop_with_id())
    statuses = check_route(services, clock, seeds("shopify"))
    assert statuses.get(200, 0) > 0 and sum(v for k, v in statuses.items() if 400 <= k < 500) > 0, statuses


def test_stripe_mutations_never_5xx_and_what_is_accepted_is_processed(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock)
    statuses = check_route(services, clock, seeds("stripe"))
    assert statuses.get(200, 0) > 0, statuses


def test_email_mutations_never_5xx_and_what_is_accepted_is_processed(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock)
    statuses = check_route(services, clock, seeds("email", "ses"))
    assert statuses.get(200, 0) > 0, statuses
