"""What `decide` does with the engine's new signals (issue 9): a thank-you is no alarm, an unread language
becomes a watch-level item for the owner with no email to the customer, an alert quotes the most upset
sentence (masked)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.config.loader import load_data
from chalicelib.config.model import WarmlineConfig
from chalicelib.domain import events as ev
from chalicelib.domain.decisions import AlertOwner, SendEmail
from chalicelib.domain.state import CustomerState, World
from chalicelib.engine import LocalSentimentAnalyzer
from chalicelib.flows import decide
from tests.conftest import EXAMPLE_CONFIG, example_config_data

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
ENGINE = LocalSentimentAnalyzer()


def config(**changes: Any) -> WarmlineConfig:
    return load_data(example_config_data(**changes), EXAMPLE_CONFIG.parent)


def decisions_for(text: str, message_id: str = "m-1") -> list[object]:
    event = ev.CustomerMessage(message_id, "sam@example.com", "Sam Baker", "Hello", text, "customer", NOW)
    return list(decide(event, World(CustomerState("sam@example.com")), ENGINE.read(text), config(), NOW))


def test_sourdough_thank_you_gets_no_alert_and_no_acknowledgement() -> None:
    decisions = decisions_for("The sourdough was wonderful, thank you so much for the lovely note in the box!")
    assert not any(isinstance(d, AlertOwner | SendEmail) for d in decisions)


def test_german_message_is_a_watch_item_for_the_owner_and_no_email() -> None:
    decisions = decisions_for("Hallo, meine Bestellung ist immer noch nicht angekommen. Bitte antworten Sie mir.")
    (alert,) = [d for d in decisions if isinstance(d, AlertOwner)]
    assert alert.level == "watch" and alert.key == "inbox:m-1"
    assert alert.reasons == ("written in German; Warmline's local engine reads English",)
    assert "Bestellung" in alert.excerpt
    assert not any(isinstance(d, SendEmail) for d in decisions)


def test_alert_quotes_the_most_upset_sentence_masked() -> None:
    text = ("Hi Sam, I hope you are well and I love your candles. I tell all my friends about you.\n"
            "But the order arrived with two jars cracked and I'm furious nobody answered me at sam@example.com.\n"
            "Kind regards, Jo")
    (alert,) = [d for d in decisions_for(text) if isinstance(d, AlertOwner)]
    assert alert.level in ("alert", "urgent")
    assert alert.excerpt.startswith("But the order arrived with two jars cracked")
    assert "sam@example.com" not in alert.excerpt
