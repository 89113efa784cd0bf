"""Shared test helpers: the real fixtures in ../shared, a settable clock, local services on a temp dir."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services, build
from chalicelib.config.loader import load_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
EXAMPLE_CONFIG = ROOT / "examples" / "bakery.json"
TEST_SECRETS = {
    "WARMLINE_SHOPIFY_SECRET": "hush",  # the secret of the shared Shopify HMAC vectors
    "WARMLINE_STRIPE_SECRET": "whsec_test_secret",  # the secret of the shared Stripe vectors
    "WARMLINE_EMAIL_TOKEN": "inbound-token-for-tests",
}


def shared_file(relative: str) -> Path:
    """A file under ../shared/fixtures; fails (never skips) with a clear message when it is missing."""
    path = FIXTURES / relative
    if not path.is_file():
        pytest.fail(f"shared fixture {path} is missing: the tests need the shared/ folder beside this checkout "
                    "(../shared/fixtures)", pytrace=False)
    return path


def shared_bytes(relative: str) -> bytes:
    return shared_file(relative).read_bytes()


def shared_json(relative: str) -> Any:
    return json.loads(shared_bytes(relative))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def example_config_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_CONFIG.read_text())
    data.update(changes)
    return data


@pytest.fixture
def clock() -> Clock:
    # A weekday at 10:00 in London: outside the example's quiet hours.
    return Clock(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))


def make_services(tmp_path: Path, clock: Clock, **config_changes: Any) -> Services:
    config = load_data(example_config_data(**config_changes), EXAMPLE_CONFIG.parent)
    return build(config, mode="local", data_dir=tmp_path / "data", clock=clock, environ=TEST_SECRETS,
                 echo=lambda _text: None)


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    svc = make_services(tmp_path, clock)
    yield svc
    svc.extras["db"].close()
